package org.alexnetcuda.kernels;

import java.util.List;

/** Every kernel the Java side launches, for checks that must cover them all (signatures, preloading). */
public final class KernelCatalog {
    private KernelCatalog() {
    }

    public static List<Kernel> all() {
        return List.of(
                ReluKernels.FORWARD, ReluKernels.BACKWARD,
                DropoutKernels.FORWARD, DropoutKernels.BACKWARD,
                AdamKernels.BEGIN_STEP, AdamKernels.UPDATE,
                SoftmaxCrossEntropyKernels.FORWARD_BACKWARD, SoftmaxCrossEntropyKernels.ACCUMULATE,
                SoftmaxCrossEntropyKernels.CONFUSION,
                LinearKernels.BIAS_GRAD,
                DataKernels.PREPARE_BATCH);
    }

    /** The modules (PTX files) the kernels live in. */
    public static List<String> modules() {
        return all().stream().map(Kernel::module).distinct().sorted().toList();
    }
}
