package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.DeviceException;

/**
 * A kernel failed while it ran on the device (a KERNEL_REQUIRE trap, a memory fault): one line naming where the
 * engine was (the training step or evaluation batch, or the range of them queued since the device last
 * confirmed its work), the call that reported it with its status, and what to do. The device is unusable after it.
 */
public final class KernelFailureException extends DeviceException {
    private static final long serialVersionUID = 1L;

    KernelFailureException(String message, DeviceException reported) {
        super(message, reported.status());
        initCause(reported);
    }
}
