package org.alexnetcuda.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EpochBatchesTest {

    @Test
    void coversEveryRecordOnceWithAPartialLastBatch() {
        EpochBatches e = EpochBatches.of(103, 10, true, 77, 0);
        assertEquals(11, e.batchCount());
        List<EpochBatches.Batch> batches = new ArrayList<>();
        e.forEach(batches::add);
        assertEquals(11, batches.size());
        boolean[] seen = new boolean[103];
        for (EpochBatches.Batch b : batches) {
            assertEquals(b.index() == 10 ? 3 : 10, b.count());
            assertEquals(b.index() * 10, b.from());
            for (int i = b.from(); i < b.from() + b.count(); i++) {
                assertFalse(seen[b.indices()[i]]);
                seen[b.indices()[i]] = true;
            }
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
    }

    @Test
    void exactMultipleHasNoEmptyBatchAndEmptyDatasetHasNone() {
        assertEquals(5, EpochBatches.of(50, 10, true, 1, 0).batchCount());
        assertEquals(10, EpochBatches.of(50, 10, true, 1, 0).batch(4).count());
        assertEquals(0, EpochBatches.of(0, 10, true, 1, 0).batchCount());
        assertFalse(EpochBatches.of(0, 10, true, 1, 0).iterator().hasNext());
        assertThrows(IndexOutOfBoundsException.class, () -> EpochBatches.of(50, 10, false, 1, 0).batch(5));
    }

    @Test
    void withoutShuffleTheOrderIsTheIdentity() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, EpochBatches.of(7, 3, false, 99, 4).order());
    }

    @Test
    void shuffleIsAFunctionOfSeedAndEpoch() {
        int[] a = EpochBatches.of(1000, 64, true, 5, 3).order();
        assertArrayEquals(a, EpochBatches.of(1000, 64, true, 5, 3).order());
        assertFalse(Arrays.equals(a, EpochBatches.of(1000, 64, true, 5, 4).order()), "epochs differ");
        assertFalse(Arrays.equals(a, EpochBatches.of(1000, 64, true, 6, 3).order()), "seeds differ");
        int fixed = 0;
        for (int i = 0; i < a.length; i++) {
            fixed += a[i] == i ? 1 : 0;
        }
        assertTrue(fixed < 10, "a shuffle leaves few records in place, got " + fixed);
    }

    @Test
    void permutationIsTheDocumentedFisherYates() {
        long seed = EpochBatches.epochSeed(12, 2);
        assertEquals(Seeds.derive(12, EpochBatches.STREAM, 2), seed);
        int[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 9; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        assertArrayEquals(expected, EpochBatches.of(10, 4, true, 12, 2).order());
    }

    @Test
    void resumingMidEpochYieldsTheSameBatches() {
        EpochBatches full = EpochBatches.of(77, 8, true, 3, 7);
        EpochBatches resumed = EpochBatches.of(77, 8, true, 3, 7);
        Iterator<EpochBatches.Batch> it = resumed.startingAt(4);
        for (int b = 4; b < full.batchCount(); b++) {
            EpochBatches.Batch x = full.batch(b);
            EpochBatches.Batch y = it.next();
            assertEquals(x.index(), y.index());
            assertArrayEquals(Arrays.copyOfRange(x.indices(), x.from(), x.from() + x.count()),
                    Arrays.copyOfRange(y.indices(), y.from(), y.from() + y.count()));
        }
        assertFalse(it.hasNext());
    }

    @Test
    void seedsMixEveryPart() {
        assertTrue(Seeds.derive(1, 0) != Seeds.derive(1, 1));
        assertTrue(Seeds.derive(1, 0) != Seeds.derive(2, 0));
        assertTrue(Seeds.derive(0, 0) != 0);
        assertEquals(Seeds.mix64(Seeds.mix64(7 + Seeds.GOLDEN) + 3 * Seeds.GOLDEN), Seeds.derive(7, 0, 2));
    }
}
