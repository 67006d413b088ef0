package org.alexnetcuda.kernels;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * {@link KernelLauncher} on the GPU through the JCuda driver API: finds the kernel in the loaded PTX
 * ({@link PtxModules}) and calls cuLaunchKernel. Device pointers are {@link jcuda.Pointer}s (a
 * {@link jcuda.driver.CUdeviceptr}, possibly with a byte offset); the stream is a {@link CUstream} or null for the
 * default stream. The driver copies the argument values at launch time, also while a stream is being captured.
 */
public final class JCudaKernelLauncher implements KernelLauncher {
    private final PtxModules modules;

    public JCudaKernelLauncher(PtxModules modules) {
        this.modules = modules;
    }

    @Override
    public void launch(Kernel kernel, int gridX, int blockX, int sharedBytes, Object stream, Object... args) {
        kernel.checkArguments(args);
        if (stream != null && !(stream instanceof CUstream)) {
            throw new IllegalArgumentException("stream must be a CUstream or null, got " + stream.getClass());
        }
        Pointer params = kernelParams(kernel, args);
        CUfunction f = modules.function(kernel.module(), kernel.name());
        int rc = JCudaDriver.cuLaunchKernel(f, gridX, 1, 1, blockX, 1, 1, sharedBytes, (CUstream) stream, params,
                null);
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException("launch of " + kernel + " <<<" + gridX + ", " + blockX + ", "
                    + sharedBytes + ">>> failed: " + CUresult.stringFor(rc));
        }
    }

    /** cuLaunchKernel's kernelParams: a pointer to an array of pointers, one to each argument's value. */
    static Pointer kernelParams(Kernel kernel, Object[] args) {
        NativePointerObject[] values = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            values[i] = switch (kernel.params().get(i)) {
                case PTR -> {
                    if (a == null) {
                        yield Pointer.to(new long[] {0L});
                    }
                    if (!(a instanceof Pointer p)) {
                        throw new IllegalArgumentException(kernel + " argument " + i
                                + ": a device pointer must be a jcuda.Pointer, got " + a.getClass().getName());
                    }
                    yield Pointer.to(p);
                }
                case I32, U32 -> Pointer.to(new int[] {(Integer) a});
                case I64, U64 -> Pointer.to(new long[] {(Long) a});
                case F32 -> Pointer.to(new float[] {(Float) a});
                case F64 -> Pointer.to(new double[] {(Double) a});
            };
        }
        return Pointer.to(values);
    }
}
