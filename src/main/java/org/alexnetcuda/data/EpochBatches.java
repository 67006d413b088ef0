package org.alexnetcuda.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The batches of one epoch: an order of the dataset's records, cut into consecutive ranges of batchSize, the last
 * one partial when batchSize does not divide the dataset size.
 *
 * <p>With shuffle, the order is the identity permuted by Fisher-Yates driven by
 * {@code rng = new SplittableRandom(epochSeed(seed, epoch))}: for i = n-1 down to 1, j = rng.nextInt(i + 1),
 * swap order[i] and order[j]. It depends only on (n, seed, epoch), so a run resumed at any epoch and batch sees
 * exactly the batches the interrupted run would have seen. Without shuffle the order is 0..n-1.
 *
 * <p>A batch is (indices, from, count), the arguments {@link Preprocessing#fillBatch} takes.
 */
public final class EpochBatches implements Iterable<EpochBatches.Batch> {
    /** Stream id in {@link Seeds#derive} for the shuffle. */
    static final long STREAM = 0x53485546L;

    /** Batch number index of the epoch: records indices[from .. from + count). */
    public record Batch(int index, int[] indices, int from, int count) {
    }

    private final int[] order;
    private final int batchSize;

    private EpochBatches(int[] order, int batchSize) {
        this.order = order;
        this.batchSize = batchSize;
    }

    public static EpochBatches of(int datasetSize, int batchSize, boolean shuffle, long seed, int epoch) {
        if (datasetSize < 0 || batchSize < 1) {
            throw new IllegalArgumentException("dataset size " + datasetSize + ", batch size " + batchSize);
        }
        return new EpochBatches(shuffle ? permutation(datasetSize, epochSeed(seed, epoch)) : identity(datasetSize), batchSize);
    }

    /** The shuffle seed of an epoch: Seeds.derive(seed, STREAM, epoch). */
    public static long epochSeed(long seed, int epoch) {
        return Seeds.derive(seed, STREAM, epoch);
    }

    /** Identity permuted by Fisher-Yates with new SplittableRandom(rngSeed), as described above. */
    public static int[] permutation(int n, long rngSeed) {
        int[] a = identity(n);
        SplittableRandom rng = new SplittableRandom(rngSeed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** The epoch's record order (shared; do not modify). */
    public int[] order() {
        return order;
    }

    public int batchSize() {
        return batchSize;
    }

    /** ceil(n / batchSize), counting the last partial batch. */
    public int batchCount() {
        return (order.length + batchSize - 1) / batchSize;
    }

    public Batch batch(int b) {
        if (b < 0 || b >= batchCount()) {
            throw new IndexOutOfBoundsException("batch " + b + " of " + batchCount());
        }
        int from = b * batchSize;
        return new Batch(b, order, from, Math.min(batchSize, order.length - from));
    }

    @Override
    public Iterator<Batch> iterator() {
        return startingAt(0);
    }

    /** The batches from number first on, for resuming inside an epoch. */
    public Iterator<Batch> startingAt(int first) {
        return new Iterator<>() {
            private int next = first;

            @Override
            public boolean hasNext() {
                return next < batchCount();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch(next++);
            }
        };
    }
}
