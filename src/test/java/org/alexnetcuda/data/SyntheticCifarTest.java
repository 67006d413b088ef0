package org.alexnetcuda.data;

import static org.alexnetcuda.data.Cifar10Dataset.IMAGE_BYTES;
import static org.alexnetcuda.data.Cifar10Dataset.RECORD_BYTES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCifarTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheOfficialLayout() throws IOException {
        SyntheticCifar.write(tmp, 53, 11, 7);
        for (int k = 1; k <= 5; k++) {
            // 53 = 5 * 10 + 3: the first three files take 11 records, the others 10
            assertEquals((k <= 3 ? 11L : 10L) * RECORD_BYTES, Files.size(tmp.resolve("data_batch_" + k + ".bin")));
        }
        assertEquals(11L * RECORD_BYTES, Files.size(tmp.resolve("test_batch.bin")));
        assertTrue(Cifar10Reader.isComplete(tmp));
        Cifar10Reader.Splits s = Cifar10Reader.read(tmp, Cifar10Reader.ALL, Cifar10Reader.ALL);
        assertEquals(SyntheticCifar.CLASS_NAMES, s.train().classNames());
        assertArrayEquals(SyntheticCifar.generate(53, 7, 0).images(), s.train().images());
        assertArrayEquals(SyntheticCifar.generate(11, 7, 1).labels(), s.test().labels());
    }

    @Test
    void rewritingWithFewerFilesRemovesStaleBatches() throws IOException {
        SyntheticCifar.write(tmp, 20, 5, 1);
        SyntheticCifar.write(tmp, 6, 5, 1, 2);
        assertFalse(Files.exists(tmp.resolve("data_batch_3.bin")));
        assertEquals(6, Cifar10Reader.readTrain(tmp, Cifar10Reader.ALL).size());
    }

    @Test
    void deterministicAndIndependentOfCount() {
        Cifar10Dataset a = SyntheticCifar.generate(40, 123, 0);
        Cifar10Dataset b = SyntheticCifar.generate(40, 123, 0);
        assertArrayEquals(a.images(), b.images());
        assertArrayEquals(a.labels(), b.labels());
        Cifar10Dataset prefix = SyntheticCifar.generate(15, 123, 0);
        assertArrayEquals(Arrays.copyOf(a.images(), 15 * IMAGE_BYTES), prefix.images());
        assertFalse(Arrays.equals(a.images(), SyntheticCifar.generate(40, 124, 0).images()), "seed changes the data");
        assertFalse(Arrays.equals(a.images(), SyntheticCifar.generate(40, 123, 1).images()), "test differs from train");
    }

    @Test
    void imagesAreVariedAndClassesBalanced() {
        Cifar10Dataset ds = SyntheticCifar.generate(2000, 5, 0);
        for (int count : ds.classCounts()) {
            assertTrue(count > 140 && count < 260, Arrays.toString(ds.classCounts()));
        }
        int[] histogram = new int[256];
        for (byte b : ds.images()) {
            histogram[b & 0xFF]++;
        }
        long used = Arrays.stream(histogram).filter(h -> h > 0).count();
        assertTrue(used > 200, "pixel values spread over the range, got " + used + " distinct");
    }

    /**
     * Learnability proxy without a network: nearest class mean on 8x8 average-pooled pixels. Chance is 10%;
     * colour and coarse shape should give far more.
     */
    @Test
    void nearestClassMeanIsWellAboveChance() {
        Cifar10Dataset train = SyntheticCifar.generate(2000, 11, 0);
        Cifar10Dataset test = SyntheticCifar.generate(500, 11, 1);
        int dims = 3 * 8 * 8;
        double[][] means = new double[10][dims];
        int[] counts = train.classCounts();
        for (int i = 0; i < train.size(); i++) {
            double[] f = pooled(train, i);
            for (int d = 0; d < dims; d++) {
                means[train.label(i)][d] += f[d] / counts[train.label(i)];
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            double[] f = pooled(test, i);
            int best = 0;
            double bestDist = Double.MAX_VALUE;
            for (int k = 0; k < 10; k++) {
                double dist = 0;
                for (int d = 0; d < dims; d++) {
                    dist += (f[d] - means[k][d]) * (f[d] - means[k][d]);
                }
                if (dist < bestDist) {
                    bestDist = dist;
                    best = k;
                }
            }
            correct += best == test.label(i) ? 1 : 0;
        }
        double accuracy = correct / (double) test.size();
        assertTrue(accuracy > 0.3, "nearest-mean accuracy " + accuracy);
    }

    private static double[] pooled(Cifar10Dataset ds, int i) {
        double[] f = new double[3 * 64];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    f[c * 64 + (y / 4) * 8 + x / 4] += ds.pixel(i, c, y, x) / (16 * 255.0);
                }
            }
        }
        return f;
    }

    /** The committed fixture is exactly what the generator writes (see test-data/README.md). */
    @Test
    void committedSmallSetMatchesTheGenerator() throws IOException {
        Path committed = Path.of("test-data", "synth-small");
        SyntheticCifar.write(tmp, 1000, 200, 42, 2);
        for (String f : new String[] {"data_batch_1.bin", "data_batch_2.bin", "test_batch.bin", "batches.meta.txt"}) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve(f)), Files.readAllBytes(committed.resolve(f)), f);
        }
        assertFalse(Files.exists(committed.resolve("data_batch_3.bin")));
        Cifar10Reader.Splits s = Cifar10Reader.read(committed, Cifar10Reader.ALL, Cifar10Reader.ALL);
        assertEquals(1000, s.train().size());
        assertEquals(200, s.test().size());
    }
}
