package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.model.NetworkSpec;

/**
 * The device has too little free memory for the run as configured. Engines throw it before training starts, when
 * they plan their memory; the message is one line with what was needed, what was free and the largest batch size
 * that fits, e.g.
 * <pre>
 * out of device memory: batch size 512 needs 9,812.3 MiB, 7,400.0 MiB free; the largest batch size that fits is 376 (--batch-size 376)
 * </pre>
 * The largest fitting batch comes from {@link MemoryEstimate}, the same model of memory the engine plans with.
 */
public final class OutOfDeviceMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * What an out-of-memory report after the pool leaves free, when it suggests a smaller batch: for the CUDA
     * libraries' own allocations (cuDNN's and cuBLAS's kernels and scratch, loaded lazily) and our modules' code.
     * A margin, not a measurement: the libraries do not say ahead what they will take.
     */
    public static final long LIBRARY_HEADROOM = 256L << 20;

    private final int batchSize;
    private final long neededBytes;
    private final long freeBytes;
    private final int largestBatch;

    /**
     * @param largestBatch the largest batch size that fits in freeBytes, 0 if none does
     */
    public OutOfDeviceMemoryException(int batchSize, long neededBytes, long freeBytes, int largestBatch) {
        this(message(batchSize, neededBytes, freeBytes, largestBatch), batchSize, neededBytes, freeBytes, largestBatch);
    }

    private OutOfDeviceMemoryException(String message, int batchSize, long neededBytes, long freeBytes,
                                       int largestBatch) {
        super(message);
        this.batchSize = batchSize;
        this.neededBytes = neededBytes;
        this.freeBytes = freeBytes;
        this.largestBatch = largestBatch;
    }

    /**
     * The pool fitted, but an allocation a CUDA library or a module load made for itself after it failed; e.g.
     * <pre>
     * out of device memory: cuModuleLoadDataEx: CUDA_ERROR_OUT_OF_MEMORY (...) with the engine's pool of 1,200.0 MiB allocated for batch size 64 and 2.0 MiB left free; batch size 48 leaves 256.0 MiB for the CUDA libraries (--batch-size 48)
     * </pre>
     *
     * @param reported     the failed call's one-line error
     * @param poolBytes    the engine's pool
     * @param freeBytes    the device's free memory now
     * @param largestBatch the largest batch size whose pool leaves {@link #LIBRARY_HEADROOM}, 0 if none does
     */
    public static OutOfDeviceMemoryException afterPool(String reported, int batchSize, long poolBytes, long freeBytes,
                                                       int largestBatch) {
        String head = "out of device memory: " + reported + " with the engine's pool of " + MemoryEstimate.mib(poolBytes)
                + " allocated for batch size " + batchSize + " and " + MemoryEstimate.mib(freeBytes) + " left free; ";
        String tail = largestBatch > 0
                ? "batch size " + largestBatch + " leaves " + MemoryEstimate.mib(LIBRARY_HEADROOM)
                        + " for the CUDA libraries (--batch-size " + largestBatch + ")"
                : "not even batch size 1 leaves " + MemoryEstimate.mib(LIBRARY_HEADROOM) + " for the CUDA libraries";
        return new OutOfDeviceMemoryException(head + tail, batchSize, poolBytes, freeBytes, largestBatch);
    }

    /** The exception for a plan of {@link MemoryEstimate}: need at batchSize, and the largest batch within freeBytes. */
    public static OutOfDeviceMemoryException forEstimate(NetworkSpec spec, int batchSize, long datasetImages,
                                                         long workspaceBytes, long freeBytes) {
        long needed = new MemoryEstimate(spec, batchSize, datasetImages, workspaceBytes).total();
        return new OutOfDeviceMemoryException(batchSize, needed, freeBytes,
                largestFittingBatch(spec, datasetImages, workspaceBytes, freeBytes, batchSize));
    }

    /**
     * The largest batch size b in [1, upTo] whose estimate fits in freeBytes, 0 if not even 1 fits. The estimate
     * grows with b, so a binary search finds it.
     */
    public static int largestFittingBatch(NetworkSpec spec, long datasetImages, long workspaceBytes, long freeBytes, int upTo) {
        return largestBatch(upTo, freeBytes, b -> new MemoryEstimate(spec, b, datasetImages, workspaceBytes).total());
    }

    /**
     * The largest batch size b in [1, upTo] with {@code bytesAt(b) <= budget}, 0 if not even 1 fits: a binary search,
     * since what a batch needs grows with its size.
     */
    static int largestBatch(int upTo, long budget, java.util.function.IntToLongFunction bytesAt) {
        int lo = 0;
        int hi = upTo;
        while (lo < hi) {
            int mid = lo + (hi - lo + 1) / 2;
            if (bytesAt.applyAsLong(mid) <= budget) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    static String message(int batchSize, long needed, long free, int largest) {
        String head = "out of device memory: batch size " + batchSize + " needs " + MemoryEstimate.mib(needed) + ", "
                + MemoryEstimate.mib(free) + " free; ";
        return largest > 0
                ? head + "the largest batch size that fits is " + largest + " (--batch-size " + largest + ")"
                : head + "not even batch size 1 fits (the parameters, Adam state and dataset alone are too large)";
    }

    public int batchSize() {
        return batchSize;
    }

    public long neededBytes() {
        return neededBytes;
    }

    public long freeBytes() {
        return freeBytes;
    }

    /** The largest batch size that fits, 0 if none does. */
    public int largestBatch() {
        return largestBatch;
    }
}
