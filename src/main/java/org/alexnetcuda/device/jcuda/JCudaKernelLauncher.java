package org.alexnetcuda.device.jcuda;

import org.alexnetcuda.kernels.Kernel;
import org.alexnetcuda.kernels.KernelLauncher;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * {@link KernelLauncher} on the GPU through the JCuda driver API: finds the kernel in the loaded PTX
 * ({@link PtxModules}) and calls cuLaunchKernel. Device pointers are {@link CUdeviceptr}s (possibly with a byte
 * offset); the stream is a {@link CUstream} or null for the
 * default stream. The driver copies the argument values at launch time, also while a stream is being captured.
 *
 * <p>A refused launch (a bad shape, too many resources) is a {@link org.alexnetcuda.device.DeviceException} naming
 * the kernel and its launch shape. A kernel that fails while it runs (a KERNEL_REQUIRE trap, a fault) is not seen
 * here: the launch is asynchronous, and the driver reports the failure at a later call, which the engine turns
 * into a one-line report of the step it happened in.
 */
final class JCudaKernelLauncher implements KernelLauncher {
    private final PtxModules modules;
    private final HostValues values = new HostValues();

    JCudaKernelLauncher(PtxModules modules) {
        this.modules = modules;
    }

    @Override
    public void launch(Kernel kernel, int gridX, int blockX, int sharedBytes, Object stream, Object... args) {
        kernel.checkArguments(args);
        if (stream != null && !(stream instanceof CUstream)) {
            throw new IllegalArgumentException("stream must be a CUstream or null, got " + stream.getClass());
        }
        Pointer params = kernelParams(kernel, args, values);
        CUfunction f = modules.function(kernel.module(), kernel.name());
        Check.cu(JCudaDriver.cuLaunchKernel(f, gridX, 1, 1, blockX, 1, 1, sharedBytes, (CUstream) stream, params,
                null), "cuLaunchKernel", launchShape(kernel, gridX, blockX, sharedBytes));
    }

    /** How a launch is named in errors: {@code relu_forward <<<4, 256, 0>>>}. */
    static String launchShape(Kernel kernel, int gridX, int blockX, int sharedBytes) {
        return kernel.name() + " <<<" + gridX + ", " + blockX + ", " + sharedBytes + ">>>";
    }

    /**
     * cuLaunchKernel's kernelParams: a pointer to an array of pointers, one to each argument's value, the values in
     * {@code values}' direct buffers (a device pointer as its 64-bit address, null as 0).
     */
    static Pointer kernelParams(Kernel kernel, Object[] args, HostValues values) {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            java.nio.ByteBuffer v = values.param(i);
            switch (kernel.params().get(i)) {
                case PTR -> {
                    if (a != null && !(a instanceof CUdeviceptr)) {
                        throw new IllegalArgumentException(kernel + " argument " + i
                                + ": a device pointer must be a CUdeviceptr, got " + a.getClass().getName());
                    }
                    v.putLong(0, a == null ? 0L : JCudaPointers.address((CUdeviceptr) a).address());
                }
                case I32, U32 -> v.putInt(0, (Integer) a);
                case I64, U64 -> v.putLong(0, (Long) a);
                case F32 -> v.putFloat(0, (Float) a);
                case F64 -> v.putDouble(0, (Double) a);
            }
        }
        return values.kernelParams(args.length);
    }
}
