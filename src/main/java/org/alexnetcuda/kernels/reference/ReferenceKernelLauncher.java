package org.alexnetcuda.kernels.reference;

import java.util.Objects;

import org.alexnetcuda.kernels.Kernel;
import org.alexnetcuda.kernels.KernelLauncher;

/**
 * A {@link KernelLauncher} that runs the Java references ({@link KernelReference}) on a {@link KernelMemory}: the
 * kernels of a device simulator. Pointers are whatever the memory understands (DevicePtr in the simulator), with
 * null or what {@link KernelMemory#isNull} calls null (DevicePtr.NULL in the simulator) for a null pointer.
 *
 * <p>{@code launch} checks what the driver and the device check up front: the arguments against the kernel's
 * parameters ({@link Kernel#checkArguments}) and the launch shape ({@link KernelReference#checkLaunch}); the shape
 * is otherwise ignored. It then hands the kernel's work to a {@link Submitter} with a copy of the arguments (the
 * driver, too, copies the argument values at launch). The default submitter runs the work at once, in call order,
 * whatever the stream: one of the orders CUDA allows for work on one stream, so the effects are visible when
 * launch returns. A simulator with streams and graph capture passes its own, which queues or records the work.
 */
public final class ReferenceKernelLauncher implements KernelLauncher {

    /** Where a launch's work goes: run now, queued on {@code stream}, or recorded into a graph being captured. */
    @FunctionalInterface
    public interface Submitter {
        /**
         * @param stream the stream the launch named (null for the default stream), as the caller passed it
         * @param call   the CUDA call the work belongs to, {@code cuLaunchKernel}, for counting and error messages
         * @param work   the kernel's whole effect on memory; it may throw {@link KernelTrapException},
         *               IllegalArgumentException (a null pointer the kernel dereferences) or the memory's exceptions
         */
        void submit(Object stream, String call, Runnable work);
    }

    private final KernelMemory memory;
    private final Submitter submitter;

    /** Runs each launch before {@code launch} returns. */
    public ReferenceKernelLauncher(KernelMemory memory) {
        this(memory, (stream, call, work) -> work.run());
    }

    public ReferenceKernelLauncher(KernelMemory memory, Submitter submitter) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.submitter = Objects.requireNonNull(submitter, "submitter");
    }

    @Override
    public void launch(Kernel kernel, int gridX, int blockX, int sharedBytes, Object stream, Object... args) {
        kernel.checkArguments(args);
        KernelReference.checkLaunch(kernel, gridX, blockX, sharedBytes);
        Object[] values = args.clone();
        submitter.submit(stream, "cuLaunchKernel", () -> KernelReference.run(kernel, values, memory));
    }
}
