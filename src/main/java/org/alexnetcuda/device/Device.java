package org.alexnetcuda.device;

import org.alexnetcuda.kernels.KernelLauncher;

/**
 * One GPU as the engine sees it: the narrow API every CUDA call of the engine goes through. The JCuda
 * implementation talks to the driver, cuBLAS and cuDNN; the simulator implements the same calls on the CPU so
 * that CI runs the whole GPU training path.
 */
public interface Device extends AutoCloseable {
    /** A one-line description: GPU name and compute capability, or "simulator". */
    String name();

    /**
     * The compute capability as major * 10 + minor (90 for an H100, 75 for a T4); 0 where there is no real card
     * (the simulator), which the engine takes as able to run every precision.
     */
    default int computeCapability() {
        return 0;
    }

    DeviceMemory memory();

    DeviceStreams streams();

    /** Our kernels: module load on first use and cuLaunchKernel, through the typed launchers of org.alexnetcuda.kernels. */
    KernelLauncher kernels();

    Blas blas();

    Dnn dnn();

    /**
     * NVTX ranges and the profiler's collection window. Made on first use (the JCuda device loads its NVTX library
     * then), so a device nobody profiles never touches it; a device without profiling support has {@link
     * Profiler#NONE}.
     */
    default Profiler profiler() {
        return Profiler.NONE;
    }

    /** Releases handles and the context's resources. */
    @Override
    void close();
}
