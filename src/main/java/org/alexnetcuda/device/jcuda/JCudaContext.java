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
    private volatile boolean released;

    private JCudaContext(int ordinal, CUdevice device, CUcontext context) {
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
    }

    /**
     * The primary contexts this process has retained, by ordinal: retained once and kept until the process ends.
     * Releasing the last retain resets the primary context, and the CUDA runtime under cuBLAS and cuDNN may still
     * hold state for it, so a second device opened later in the same process (the GPU test suite opens one per
     * test) must find the same context alive rather than a reset one.
     */
    private static final java.util.Map<Integer, CUcontext[]> RETAINED = new java.util.HashMap<>();
    private static final java.util.Map<Integer, CUdevice> DEVICES = new java.util.HashMap<>();

    /** cuInit, cuDeviceGet, cuDevicePrimaryCtxRetain (once per process), and makes it current on the calling thread. */
    static synchronized JCudaContext retainPrimary(int ordinal) {
        CUcontext[] held = RETAINED.get(ordinal);
        if (held == null) {
            // Statuses are checked by Check; JCuda's exceptions would bypass the naming done there.
            JCudaDriver.setExceptionsEnabled(false);
            Check.cu(JCudaDriver.cuInit(0), "cuInit", null);
            CUdevice device = new CUdevice();
            Check.cu(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet", "device " + ordinal);
            CUcontext context = new CUcontext();
            Check.cu(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain",
                    "device " + ordinal);
            held = new CUcontext[] {context};
            RETAINED.put(ordinal, held);
            DEVICES.put(ordinal, device);
        }
        JCudaContext c = new JCudaContext(ordinal, DEVICES.get(ordinal), held[0]);
        c.enter();
        return c;
    }

    /** Makes the primary context current on this thread unless it already is (cuCtxSetCurrent). */
    void enter() {
        if (released) {
            throw new IllegalStateException("device " + ordinal + " was closed; open a new one");
        }
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
     * Marks this device's use of the context as over. The process keeps its retain (see {@link #RETAINED}); the
     * driver releases it when the process exits, as it does the CUDA runtime's.
     */
    synchronized void release() {
        released = true;
    }
}
