package org.alexnetcuda.device.jcuda;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * The device's primary context, retained for the device's lifetime and made current on every thread that
 * issues CUDA calls through this device.
 *
 * <p>Why the primary context: cuBLAS and cuDNN run on the CUDA runtime, which works in the primary context of
 * its current device; a context created with cuCtxCreate would be a second context on the same GPU, with its
 * own memory space, and device pointers from one are not valid in the other. Why every thread: a current
 * context is per host thread, and the engine may call from several (the training loop, a data loader).
 *
 * <p>{@link #enter()} is the check-and-set every call site runs first: a thread-local flag, so the driver is
 * asked once per thread. It assumes nothing else switches contexts on these threads (nothing in this program
 * does).
 */
final class JCudaContext {
    private final int ordinal;
    private final CUdevice device;
    private final CUcontext context;
    private final ThreadLocal<Boolean> currentHere = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private boolean released;

    private JCudaContext(int ordinal, CUdevice device, CUcontext context) {
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
    }

    /** cuInit, cuDeviceGet, cuDevicePrimaryCtxRetain, and makes it current on the calling thread. */
    static JCudaContext retainPrimary(int ordinal) {
        // Statuses are checked by Check; JCuda's exceptions would bypass the naming done there.
        JCudaDriver.setExceptionsEnabled(false);
        Check.cu(JCudaDriver.cuInit(0), "cuInit", null);
        CUdevice device = new CUdevice();
        Check.cu(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet", "device " + ordinal);
        CUcontext context = new CUcontext();
        Check.cu(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain",
                "device " + ordinal);
        JCudaContext c = new JCudaContext(ordinal, device, context);
        c.enter();
        return c;
    }

    /** Makes the primary context current on this thread unless it already is (cuCtxSetCurrent). */
    void enter() {
        if (!currentHere.get()) {
            Check.cu(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent", "device " + ordinal);
            currentHere.set(Boolean.TRUE);
        }
    }

    CUdevice device() {
        return device;
    }

    int ordinal() {
        return ordinal;
    }

    /**
     * cuDevicePrimaryCtxRelease: the context is destroyed when the last retain is released (the runtime, that
     * cuBLAS and cuDNN use, holds its own retain).
     */
    synchronized void release() {
        if (!released) {
            released = true;
            Check.cu(JCudaDriver.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease", "device " + ordinal);
        }
    }
}
