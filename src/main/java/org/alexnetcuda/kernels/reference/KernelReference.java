package org.alexnetcuda.kernels.reference;

import java.util.Map;
import java.util.function.BiConsumer;

import org.alexnetcuda.kernels.AdamKernels;
import org.alexnetcuda.kernels.DataKernels;
import org.alexnetcuda.kernels.DropoutKernels;
import org.alexnetcuda.kernels.Kernel;
import org.alexnetcuda.kernels.LinearKernels;
import org.alexnetcuda.kernels.MixedPrecisionKernels;
import org.alexnetcuda.kernels.ParamType;
import org.alexnetcuda.kernels.ReluKernels;
import org.alexnetcuda.kernels.SoftmaxCrossEntropyKernels;

/**
 * Runs the Java reference of any kernel in {@link org.alexnetcuda.kernels.KernelCatalog} on a {@link KernelMemory}:
 * the same parameter list as the .cu kernel (the launcher's argument array) and the same effect on memory.
 *
 * <p>One class per module holds the references ({@link ReluReference}, {@link DropoutReference},
 * {@link AdamReference}, {@link LossReference}, {@link LinearReference}, {@link DataReference},
 * {@link PrecisionReference}); each reuses the CPU
 * engine's code for its arithmetic, so the CPU engine, the references and (as the kernel tests check) the kernels
 * share one definition of every formula.
 *
 * <p>The kernels are written so that their result does not depend on the launch shape (grid-stride and
 * block-stride loops; the reductions' order differs only in the last bits of a double), so the references take
 * none: {@link #run} is the whole launch, done when it returns. {@link #checkLaunch} adds the launch-shape
 * requirements that the kernels enforce with KERNEL_REQUIRE, for launchers that want them.
 */
public final class KernelReference {
    private static final Map<Kernel, BiConsumer<Object[], KernelMemory>> REFERENCES = Map.ofEntries(
            Map.entry(ReluKernels.FORWARD, (a, mem) ->
                    ReluReference.reluForward(mem, a[0], a[1], i32(a, 2))),
            Map.entry(ReluKernels.BACKWARD, (a, mem) ->
                    ReluReference.reluBackward(mem, a[0], a[1], a[2], i32(a, 3))),
            Map.entry(ReluKernels.FORWARD_HALF, (a, mem) ->
                    ReluReference.reluForwardHalf(mem, a[0], a[1], i32(a, 2), i32(a, 3))),
            Map.entry(ReluKernels.BACKWARD_HALF, (a, mem) ->
                    ReluReference.reluBackwardHalf(mem, a[0], a[1], a[2], i32(a, 3), i32(a, 4))),
            Map.entry(DropoutKernels.FORWARD, (a, mem) ->
                    DropoutReference.dropoutForward(mem, a[0], a[1], i32(a, 2), f32(a, 3), i64(a, 4), a[5])),
            Map.entry(DropoutKernels.BACKWARD, (a, mem) ->
                    DropoutReference.dropoutBackward(mem, a[0], a[1], i32(a, 2), f32(a, 3), i64(a, 4), a[5])),
            Map.entry(DropoutKernels.FORWARD_HALF, (a, mem) ->
                    DropoutReference.dropoutForwardHalf(mem, a[0], a[1], i32(a, 2), f32(a, 3), i64(a, 4), a[5],
                            i32(a, 6))),
            Map.entry(DropoutKernels.BACKWARD_HALF, (a, mem) ->
                    DropoutReference.dropoutBackwardHalf(mem, a[0], a[1], i32(a, 2), f32(a, 3), i64(a, 4), a[5],
                            i32(a, 6))),
            Map.entry(AdamKernels.BEGIN_STEP, (a, mem) ->
                    AdamReference.adamBeginStep(mem, a[0], f64(a, 1), f64(a, 2))),
            Map.entry(AdamKernels.UPDATE, (a, mem) ->
                    AdamReference.adamUpdate(mem, a[0], a[1], a[2], a[3], i32(a, 4), a[5], f32(a, 6), f32(a, 7),
                            f32(a, 8), f32(a, 9), f32(a, 10), f32(a, 11))),
            Map.entry(AdamKernels.BEGIN_STEP_MIXED, (a, mem) ->
                    AdamReference.adamBeginStepMixed(mem, a[0], a[1], f64(a, 2), f64(a, 3))),
            Map.entry(AdamKernels.UPDATE_MIXED, (a, mem) ->
                    AdamReference.adamUpdateMixed(mem, a[0], a[1], a[2], a[3], a[4], i32(a, 5), a[6], a[7],
                            f32(a, 8), f32(a, 9), f32(a, 10), f32(a, 11), f32(a, 12), f32(a, 13), i32(a, 14))),
            Map.entry(SoftmaxCrossEntropyKernels.FORWARD_BACKWARD, (a, mem) ->
                    LossReference.softmaxXentForwardBackward(mem, a[0], a[1], a[2], a[3], a[4], i32(a, 5),
                            i32(a, 6))),
            Map.entry(SoftmaxCrossEntropyKernels.ACCUMULATE, (a, mem) ->
                    LossReference.lossAccumulate(mem, a[0], a[1], a[2], i32(a, 3))),
            Map.entry(SoftmaxCrossEntropyKernels.CONFUSION, (a, mem) ->
                    LossReference.confusionAccumulate(mem, a[0], a[1], a[2], i32(a, 3), i32(a, 4))),
            Map.entry(LinearKernels.BIAS_GRAD, (a, mem) ->
                    LinearReference.biasGradAccumulate(mem, a[0], a[1], i32(a, 2), i32(a, 3))),
            Map.entry(LinearKernels.BIAS_GRAD_HALF, (a, mem) ->
                    LinearReference.biasGradAccumulateHalf(mem, a[0], a[1], i32(a, 2), i32(a, 3), i32(a, 4))),
            Map.entry(DataKernels.PREPARE_BATCH, (a, mem) ->
                    DataReference.dataPrepareBatch(mem, a[0], a[1], a[2], a[3], i32(a, 4), a[5], a[6], i32(a, 7),
                            i32(a, 8), a[9], a[10])),
            Map.entry(DataKernels.PREPARE_BATCH_HALF, (a, mem) ->
                    DataReference.dataPrepareBatchHalf(mem, a[0], a[1], a[2], a[3], i32(a, 4), a[5], a[6], i32(a, 7),
                            i32(a, 8), a[9], a[10], i32(a, 11))),
            Map.entry(MixedPrecisionKernels.TO_HALF, (a, mem) ->
                    PrecisionReference.castToHalf(mem, a[0], a[1], i32(a, 2), i32(a, 3))),
            Map.entry(MixedPrecisionKernels.TO_FLOAT, (a, mem) ->
                    PrecisionReference.castToFloat(mem, a[0], a[1], i32(a, 2), i32(a, 3))),
            Map.entry(MixedPrecisionKernels.TO_HALF_SCALED, (a, mem) ->
                    PrecisionReference.castToHalfScaled(mem, a[0], a[1], i32(a, 2), a[3], i32(a, 4))),
            Map.entry(MixedPrecisionKernels.CHECK_FINITE, (a, mem) ->
                    PrecisionReference.gradsCheckFinite(mem, a[0], i32(a, 1), a[2], i32(a, 3))),
            Map.entry(MixedPrecisionKernels.UPDATE_SCALE, (a, mem) ->
                    PrecisionReference.lossScaleUpdate(mem, a[0], f32(a, 1), f32(a, 2), i32(a, 3))));

    private KernelReference() {
    }

    /** Whether {@link #run} knows {@code kernel}. */
    public static boolean covers(Kernel kernel) {
        return REFERENCES.containsKey(kernel);
    }

    /**
     * Runs {@code kernel(args...)} on mem.
     *
     * @param args as for {@link org.alexnetcuda.kernels.KernelLauncher#launch}: one per parameter, a pointer mem
     *             understands (null, or what {@link KernelMemory#isNull} calls null, for a null pointer), Integer,
     *             Long, Float or Double
     * @throws IllegalArgumentException for arguments that do not fit the kernel's parameters
     *                                  ({@link Kernel#checkArguments}), a null pointer the kernel dereferences, or
     *                                  a value the launcher documents as invalid
     * @throws KernelTrapException      where the kernel's KERNEL_REQUIRE would stop it
     */
    public static void run(Kernel kernel, Object[] args, KernelMemory mem) {
        BiConsumer<Object[], KernelMemory> reference = REFERENCES.get(kernel);
        if (reference == null) {
            throw new IllegalArgumentException("no reference for kernel " + kernel);
        }
        kernel.checkArguments(args);
        Object[] values = args.clone();
        for (int i = 0; i < values.length; i++) {
            if (kernel.params().get(i) == ParamType.PTR && mem.isNull(values[i])) {
                values[i] = null;
            }
        }
        reference.accept(values, mem);
    }

    /**
     * The launch-shape requirements the kernels check on the device (KERNEL_REQUIRE): the block-per-sample loss
     * kernel's tree reduction needs a power-of-two block of at most 128 threads, loss_accumulate's of at most 256.
     * Also the limits of any launch: grid and block positive, block at most 1024 threads, no negative shared memory.
     *
     * @throws IllegalArgumentException for a shape no launch can have
     * @throws KernelTrapException      for a shape the kernel refuses
     */
    public static void checkLaunch(Kernel kernel, int gridX, int blockX, int sharedBytes) {
        if (gridX <= 0 || blockX <= 0 || blockX > 1024 || sharedBytes < 0) {
            throw new IllegalArgumentException("invalid launch shape <<<" + gridX + ", " + blockX + ", " + sharedBytes
                    + ">>> of " + kernel);
        }
        boolean powerOfTwo = (blockX & (blockX - 1)) == 0;
        if (kernel.equals(SoftmaxCrossEntropyKernels.FORWARD_BACKWARD)
                && !(blockX <= SoftmaxCrossEntropyKernels.SAMPLE_BLOCK && powerOfTwo)) {
            throw new KernelTrapException(kernel.name(), "threads <= LOSS_BLOCK && (threads & (threads - 1)) == 0",
                    "block " + blockX);
        }
        if (kernel.equals(SoftmaxCrossEntropyKernels.ACCUMULATE)
                && !(blockX <= SoftmaxCrossEntropyKernels.ACCUMULATE_BLOCK && powerOfTwo)) {
            throw new KernelTrapException(kernel.name(),
                    "threads <= ACCUMULATE_BLOCK && (threads & (threads - 1)) == 0", "block " + blockX);
        }
    }

    private static int i32(Object[] a, int i) {
        return (Integer) a[i];
    }

    private static long i64(Object[] a, int i) {
        return (Long) a[i];
    }

    private static float f32(Object[] a, int i) {
        return (Float) a[i];
    }

    private static double f64(Object[] a, int i) {
        return (Double) a[i];
    }
}
