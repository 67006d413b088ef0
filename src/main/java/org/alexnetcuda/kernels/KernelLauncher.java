package org.alexnetcuda.kernels;

/**
 * Launches one of the project's kernels: the seam between the typed launchers of this package and whatever
 * runs the kernel (the GPU through JCuda in {@link JCudaKernelLauncher}; in tests, the host build of the same
 * sources).
 *
 * <p>Deliberately minimal: issue 4 (the narrow device API) will formalise it, giving device pointers and
 * streams their own types. Until then a device pointer is whatever object the implementation understands
 * ({@link jcuda.Pointer}/{@link jcuda.driver.CUdeviceptr} for JCuda) and a stream likewise
 * ({@link jcuda.driver.CUstream}, or null for the default stream).
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
