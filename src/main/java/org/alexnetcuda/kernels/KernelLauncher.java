package org.alexnetcuda.kernels;

/**
 * Launches one of the project's kernels: the seam between the typed launchers of this package and whatever
 * runs the kernel (the GPU through JCuda in device.jcuda.JCudaKernelLauncher; in tests, the host build of the same
 * sources).
 *
 * <p>Deliberately minimal: a device pointer is whatever object the implementation understands (jcuda.Pointer for
 * JCuda, DevicePtr in the simulator), and a stream likewise (jcuda.driver.CUstream for JCuda, or null for the
 * default stream).
 */
public interface KernelLauncher {

    /**
     * Enqueues {@code kernel<<<gridX, blockX, sharedBytes, stream>>>(args...)} (one-dimensional grid and block).
     * Implementations check the arguments with {@link Kernel#checkArguments}.
     *
     * @param args one per kernel parameter, in order: a device pointer (or null) for {@link ParamType#PTR},
     *             Integer for I32/U32, Long for I64/U64, Float for F32, Double for F64
     */
    void launch(Kernel kernel, int gridX, int blockX, int sharedBytes, Object stream, Object... args);
}
