package org.alexnetcuda.kernels;

import java.util.List;

/** Every kernel the Java side launches, for checks that must cover them all (signatures, preloading). */
public final class KernelCatalog {
    private KernelCatalog() {
    }

    public static List<Kernel> all() {
        return List.of(
                ReluKernels.FORWARD, ReluKernels.BACKWARD, ReluKernels.FORWARD_HALF, ReluKernels.BACKWARD_HALF,
                DropoutKernels.FORWARD, DropoutKernels.BACKWARD, DropoutKernels.FORWARD_HALF,
                DropoutKernels.BACKWARD_HALF,
                AdamKernels.BEGIN_STEP, AdamKernels.UPDATE, AdamKernels.BEGIN_STEP_MIXED, AdamKernels.UPDATE_MIXED,
                SoftmaxCrossEntropyKernels.FORWARD_BACKWARD, SoftmaxCrossEntropyKernels.ACCUMULATE,
                SoftmaxCrossEntropyKernels.CONFUSION,
                LinearKernels.BIAS_GRAD, LinearKernels.BIAS_GRAD_HALF,
                DataKernels.PREPARE_BATCH, DataKernels.PREPARE_BATCH_HALF,
                MixedPrecisionKernels.TO_HALF, MixedPrecisionKernels.TO_FLOAT, MixedPrecisionKernels.TO_HALF_SCALED,
                MixedPrecisionKernels.CHECK_FINITE, MixedPrecisionKernels.UPDATE_SCALE);
    }

    /** The modules (PTX files) the kernels live in. */
    public static List<String> modules() {
        return all().stream().map(Kernel::module).distinct().sorted().toList();
    }
}
