package org.alexnetcuda.engine.cuda;

import java.util.Set;

import org.alexnetcuda.device.DeviceException;

/**
 * Where a kernel that failed on the device ran. Launches are asynchronous: a kernel's trap or fault is reported by a
 * later CUDA call, usually the next one that waits for the device (reading the totals every few hundred
 * milliseconds, a checkpoint), and by every call after it, since the context is then unusable. So the engine notes
 * each operation it queues (a training step, an evaluation batch) and each wait that succeeded; a failure lies in
 * the operations queued since the last such wait, which {@link #translate} names.
 *
 * <p>With CUDA_LAUNCH_BLOCKING=1 every launch waits for its kernel, so an operation that returned has completed and
 * the failure is pinned to one operation; the message suggests it for that reason.
 */
final class KernelFaults {
    /** The driver's statuses for a kernel that failed while running; each leaves the context unusable. */
    static final Set<String> KERNEL_FAILURES = Set.of("CUDA_ERROR_LAUNCH_FAILED", "CUDA_ERROR_ILLEGAL_ADDRESS",
            "CUDA_ERROR_ILLEGAL_INSTRUCTION", "CUDA_ERROR_MISALIGNED_ADDRESS", "CUDA_ERROR_INVALID_ADDRESS_SPACE",
            "CUDA_ERROR_INVALID_PC", "CUDA_ERROR_HARDWARE_STACK_ERROR", "CUDA_ERROR_ASSERT",
            "CUDA_ERROR_LAUNCH_TIMEOUT");

    private final boolean launchBlocking;
    /** The first and the latest operation queued since the last confirmed wait; null when none. */
    private String first;
    private String latest;
    private long unconfirmed;
    /** Where the first reported failure ran, once one was; later calls fail with the same status. */
    private String failedWhere;

    /** @param launchBlocking whether CUDA_LAUNCH_BLOCKING=1 makes every launch wait for its kernel */
    KernelFaults(boolean launchBlocking) {
        this.launchBlocking = launchBlocking;
    }

    /** From the environment, as the driver reads it. */
    static KernelFaults fromEnvironment() {
        return new KernelFaults("1".equals(System.getenv("CUDA_LAUNCH_BLOCKING")));
    }

    /** An operation is about to be queued; {@code what} names it, e.g. "training step 12". */
    void queued(String what) {
        if (first == null) {
            first = what;
        }
        latest = what;
        unconfirmed++;
    }

    /** The queued operation's calls returned; under CUDA_LAUNCH_BLOCKING=1 its kernels have also completed. */
    void returned() {
        if (launchBlocking) {
            confirmed();
        }
    }

    /** A wait for the device succeeded: everything queued before it ran. */
    void confirmed() {
        first = null;
        latest = null;
        unconfirmed = 0;
    }

    /** Whether a kernel failure was seen: the context is unusable, and releasing it can only fail too. */
    boolean failed() {
        return failedWhere != null;
    }

    /**
     * {@code e} as the program reports it: a kernel failure becomes a {@link KernelFailureException} naming where
     * it ran; anything else is returned as it is.
     */
    RuntimeException translate(RuntimeException e) {
        if (!(e instanceof DeviceException d) || e instanceof KernelFailureException
                || !KERNEL_FAILURES.contains(d.status())) {
            return e;
        }
        if (failedWhere != null) {
            return new KernelFailureException("the device is unusable after the kernel failure reported earlier ("
                    + failedWhere + "): " + d.getMessage(), d);
        }
        failedWhere = where();
        return new KernelFailureException("a kernel failed on the device " + failedWhere + ": " + d.getMessage()
                + "; a kernel's precondition (KERNEL_REQUIRE) trapped or it faulted, and the device is unusable until "
                + "the program restarts" + (launchBlocking ? "" : "; to stop at the failing step, rerun with --no-graph"
                + " and CUDA_LAUNCH_BLOCKING=1") + ", or under compute-sanitizer to name the kernel", d);
    }

    private String where() {
        if (unconfirmed == 0) {
            return "before any work was queued since its last wait";
        }
        if (unconfirmed == 1) {
            return "in " + first;
        }
        return "in one of the " + unconfirmed + " operations queued since its last wait, from " + first + " to "
                + latest + " (the device runs behind the host)";
    }
}
