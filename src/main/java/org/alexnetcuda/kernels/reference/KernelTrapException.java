package org.alexnetcuda.kernels.reference;

/**
 * A kernel reached one of its KERNEL_REQUIRE checks (native-kernels/common.cuh) with the condition false: on the
 * GPU the launch executes __trap() and fails, in the host build the process aborts, and a reference throws this.
 * The message names the kernel and quotes the C condition as the .cu file spells it.
 */
public final class KernelTrapException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String kernel;
    private final String condition;

    public KernelTrapException(String kernel, String condition, String detail) {
        super("kernel trap in " + kernel + ": requirement '" + condition + "' failed" + (detail.isEmpty() ? ""
                : " (" + detail + ")"));
        this.kernel = kernel;
        this.condition = condition;
    }

    /** The kernel's name in the PTX, e.g. data_prepare_batch. */
    public String kernel() {
        return kernel;
    }

    /** The failed condition, as in the .cu source. */
    public String condition() {
        return condition;
    }
}
