package org.alexnetcuda.device.jcuda;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.kernels.KernelLauncher;

import java.nio.charset.StandardCharsets;

import org.alexnetcuda.device.Blas;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.DeviceMemory;
import org.alexnetcuda.device.DeviceStreams;
import org.alexnetcuda.device.Dnn;
import org.alexnetcuda.device.host.CudaLibraries;
import org.alexnetcuda.device.host.HostCheck;
import org.alexnetcuda.device.host.HostLibraries;
import org.alexnetcuda.device.host.HostProbe;
import org.alexnetcuda.device.host.HostProblemException;

import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * The production {@link Device}: one GPU through JCuda's driver API, JCublas2 and JCudnn, in the device's
 * primary context.
 *
 * <p>{@link #open} is the only way in, and its order matters: the CUDA libraries are found and loaded first
 * ({@link CudaLibraries#prepare}, which on a CUDA-13-only host loads the libcublas.so.12 forwarder), because the
 * first touch of JCublas2 or JCudnn loads their native libraries, which link libcublas.so.12 and libcudnn.so.9.
 * Then the host is checked ({@link HostCheck}: driver, GPU, PTX ISA, libraries) and any problem is thrown as a
 * one-line {@link HostProblemException}; only then are the context, the cuBLAS handle and the cuDNN handle
 * created.
 */
public final class JCudaDevice implements Device {
    private final JCudaContext context;
    private final HostLibraries libraries;
    private final String name;
    private final int computeCapability;
    private final JCudaMemory memory;
    private final JCudaStreams streams;
    private final JCudaBlas blas;
    private final JCudaDnn dnn;
    private final PtxModules modules = new PtxModules();
    private final KernelLauncher kernels;
    private JCudaProfiler profiler;
    private boolean closed;

    private JCudaDevice(JCudaContext context, HostLibraries libraries) {
        this.context = context;
        this.libraries = libraries;
        this.computeCapability = capability(context);
        this.name = describe(context);
        this.memory = new JCudaMemory(context);
        this.streams = new JCudaStreams(context);
        JCudaBlas b = new JCudaBlas(context);
        try {
            this.dnn = new JCudaDnn(context);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        this.blas = b;
        // Our kernels: the typed launchers pass DevicePtr and Handles.Stream; JCuda's launcher takes CUdeviceptr
        // and CUstream, in the primary context made current on the calling thread.
        JCudaKernelLauncher launcher = new JCudaKernelLauncher(modules);
        this.kernels = (kernel, gridX, blockX, sharedBytes, stream, args) -> {
            context.enter();
            Object[] native_ = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                native_[i] = args[i] instanceof DevicePtr p ? (p.isNull() ? null : JCudaPointers.of(p)) : args[i];
            }
            launcher.launch(kernel, gridX, blockX, sharedBytes,
                    stream == null ? null : JCudaHandles.cu((org.alexnetcuda.device.Handles.Stream) stream), native_);
        };
    }

    @Override
    public KernelLauncher kernels() {
        return kernels;
    }

    /**
     * Opens GPU {@code ordinal}.
     *
     * @throws HostProblemException when this host cannot run the GPU engine (one line: found, needed, fix)
     */
    public static JCudaDevice open(int ordinal) {
        HostLibraries libs = CudaLibraries.prepare();
        HostCheck.require(HostProbe.probe(libs).findings());
        JCudaContext context = JCudaContext.retainPrimary(ordinal);
        try {
            return new JCudaDevice(context, libs);
        } catch (RuntimeException e) {
            context.release();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int computeCapability() {
        return computeCapability;
    }

    @Override
    public DeviceMemory memory() {
        return memory;
    }

    @Override
    public DeviceStreams streams() {
        return streams;
    }

    @Override
    public Blas blas() {
        return blas;
    }

    @Override
    public Dnn dnn() {
        return dnn;
    }

    /** NVTX and cuProfilerStart/Stop; NVTX's library is loaded on this first call. */
    @Override
    public synchronized org.alexnetcuda.device.Profiler profiler() {
        if (profiler == null) {
            profiler = new JCudaProfiler(context);
        }
        return profiler;
    }

    /** Which libraries this device runs on (for logs and the report). */
    public HostLibraries libraries() {
        return libraries;
    }

    /** cublasGetVersion of the cuBLAS in use (130100 for 13.1.0 on the forwarded route). */
    public int cublasVersion() {
        return blas.version();
    }

    /** cuDriverGetVersion: the CUDA version the driver supports (13000 for 13.0). */
    public int driverCudaVersion() {
        int[] v = new int[1];
        Check.cu(JCudaDriver.cuDriverGetVersion(v), "cuDriverGetVersion", null);
        return v[0];
    }

    /** cudnnGetVersion of the cuDNN in use (90500 for 9.5.0). */
    public long cudnnVersion() {
        return dnn.version();
    }

    /** Unloads our modules, destroys the cuDNN and cuBLAS handles, then releases the primary context. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            context.enter();
            modules.close();
            dnn.close();
        } finally {
            try {
                blas.close();
            } finally {
                context.release();
            }
        }
    }

    private static String describe(JCudaContext context) {
        byte[] raw = new byte[256];
        Check.cu(JCudaDriver.cuDeviceGetName(raw, raw.length, context.device()), "cuDeviceGetName", null);
        int len = 0;
        while (len < raw.length && raw[len] != 0) {
            len++;
        }
        int cc = capability(context);
        return new String(raw, 0, len, StandardCharsets.US_ASCII) + ", compute capability " + cc / 10 + "." + cc % 10;
    }

    /** major * 10 + minor, from cuDeviceGetAttribute. */
    private static int capability(JCudaContext context) {
        int[] major = new int[1];
        int[] minor = new int[1];
        Check.cu(JCudaDriver.cuDeviceGetAttribute(major,
                CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, context.device()),
                "cuDeviceGetAttribute", "compute capability major");
        Check.cu(JCudaDriver.cuDeviceGetAttribute(minor,
                CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, context.device()),
                "cuDeviceGetAttribute", "compute capability minor");
        return 10 * major[0] + minor[0];
    }
}
