package org.alexnetcuda.train;

import org.alexnetcuda.device.DeviceMemory;

/**
 * Device memory a benchmark used, from cuMemGetInfo: the free memory once the device is open (the CUDA context,
 * cuBLAS and cuDNN handles exist) and the least free memory seen after each phase. The difference is the pool plus
 * what the libraries allocate on first use (cuBLAS workspaces, cuDNN's lazily loaded kernels, graph memory). It
 * is the whole device's view: another process's allocations in the meantime would count too.
 *
 * @param totalBytes       the device's memory
 * @param freeBeforeBytes  free once the device was open, before the engine
 * @param poolBytes        the engine's planned pool (one allocation)
 * @param minFreeBytes     the least free memory seen
 */
public record DeviceMemoryUse(long totalBytes, long freeBeforeBytes, long poolBytes, long minFreeBytes) {

    /** What the engine and the libraries' lazy allocations took at the peak. */
    public long enginePeakBytes() {
        return freeBeforeBytes - minFreeBytes;
    }

    /** Everything in use on the device at the peak, the context included. */
    public long deviceUsedPeakBytes() {
        return totalBytes - minFreeBytes;
    }

    /** Samples cuMemGetInfo: the least free memory so far. */
    public static final class Watch {
        private final DeviceMemory memory;
        private final long total;
        private final long freeBefore;
        private long minFree;

        public Watch(DeviceMemory memory) {
            this.memory = memory;
            long[] info = memory.info();
            this.freeBefore = info[0];
            this.total = info[1];
            this.minFree = info[0];
        }

        public void sample() {
            minFree = Math.min(minFree, memory.info()[0]);
        }

        public DeviceMemoryUse result(long poolBytes) {
            sample();
            return new DeviceMemoryUse(total, freeBefore, poolBytes, minFree);
        }
    }
}
