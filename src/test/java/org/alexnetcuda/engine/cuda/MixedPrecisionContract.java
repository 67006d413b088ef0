package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.data.EpochBatches;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.engine.cpu.CpuEngine;
import org.alexnetcuda.engine.cpu.CpuNetwork;
import org.alexnetcuda.kernels.MixedPrecisionKernels;
import org.alexnetcuda.math.Adam;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Precision;
import org.alexnetcuda.train.EpochMetrics;
import org.alexnetcuda.train.TrainOptions;
import org.alexnetcuda.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mixed precision (--precision fp16|bf16) against the FP32 CPU reference engine, on any device: the simulator in CI
 * ({@link MixedPrecisionSimTest}), which stores 16-bit tensors exactly as a GPU does and computes in FP32, and a
 * real GPU in the GPU suite.
 *
 * <p>Bounds, norm-wise relative to the FP32 reference, in units of the format's unit roundoff u (fp16 2^-11 =
 * 4.9e-4, bf16 2^-8 = 3.9e-3):
 * <ul>
 * <li>Layer outputs: every 16-bit store rounds by at most u, products accumulate in FP32, and the errors of the
 *     input, the weights and the layers before add up; measured at most 2 u on the simulator; bound 10 u.</li>
 * <li>Gradients scale like sqrt(u), not u: where a ReLU input or a max-pool window's runner-up is within rounding
 *     of its threshold, 16-bit and FP32 route a whole gradient element differently (a mask flips, a rounded tie
 *     sends the gradient to the window's first maximum), and a fraction of about u of the elements wholly wrong is
 *     a norm-wise error of about sqrt(u). Measured 1.7 sqrt(u) for fp16 and 2.5 sqrt(u) for bf16 at conv1,
 *     about u at the fully connected layers; bound 5 sqrt(u). PyTorch's autocast has the same property.</li>
 * <li>Adam updates the FP32 master weights from the unscaled gradients exactly as the CPU engine's Adam does.</li>
 * </ul>
 */
abstract class MixedPrecisionContract {
    private static final Path SYNTH = Path.of("test-data", "synth-small");
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV1_CONV2, 0.5f),
            new AlexNet.Widths(16, 32, 48, 48, 32, 128));
    private static final long WORKSPACE = 64L << 20;

    abstract Device newDevice();

    /** The unit roundoff of the format: half the distance from 1 to the next representable number. */
    static double unitRoundoff(Precision p) {
        return p == Precision.FP16 ? 0x1p-11 : 0x1p-8;
    }

    private static ParameterStore init(long seed) {
        ParameterStore s = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, s, seed);
        return s;
    }

    private static CudaEngine engine(Device dev, Precision p, ParameterStore init, Cifar10Reader.Splits data, int batch,
                                     boolean graphs, long seed) {
        return new CudaEngine(dev, new EngineConfig(1e-3f, 0f, seed, false, false, p), SPEC, init, data.train(),
                data.test(), batch, WORKSPACE, graphs);
    }

    @ParameterizedTest
    @EnumSource(names = {"FP16", "BF16"})
    void oneTrainingStepIsWithinTheFormatsBoundOfFp32LayerByLayer(Precision p) {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 64, 32);
        int n = 24;
        long seed = 7;
        ParameterStore init = init(seed);
        int[] perm = EpochBatches.of(64, n, true, seed, 1).order();

        CpuNetwork cpu = CudaEngineContract.cpuReferenceStep(SPEC, init, data, perm, n, seed);
        ParameterStore cpuStore = cpu.store();

        double u = unitRoundoff(p);
        try (Device dev = newDevice(); CudaEngine gpu = engine(dev, p, init, data, n, false, seed)) {
            gpu.trainStep(perm, 0, n);
            double worst = 0;
            for (int i = 0; i < SPEC.layers().size(); i++) {
                float[] ref = cpu.activation(i).data;
                double err = CudaEngineContract.relativeError(gpu.readActivation(i, n), 0, ref, 0, ref.length);
                worst = Math.max(worst, err);
                assertTrue(err < 10 * u, p + " " + SPEC.layers().get(i).name() + " output relative error " + err);
            }
            // fp16 gradients carry the loss scale of the step (2^16 at the first one, which did not overflow here);
            // unscaling multiplies by its reciprocal in float, as the kernel and GradScaler do
            float inverse = p == Precision.FP16 ? 1f / MixedPrecisionKernels.INIT_SCALE : 1f;
            float[] grads = gpu.readGradients();
            for (int i = 0; i < grads.length; i++) {
                grads[i] *= inverse;
            }
            double worstGrad = 0;
            for (Parameter q : cpuStore.parameters()) {
                double err = CudaEngineContract.relativeError(grads, q.offset(), cpuStore.grads, q.offset(), q.size());
                worstGrad = Math.max(worstGrad, err);
                assertTrue(err < 5 * Math.sqrt(u), p + " " + q.name() + " gradient relative error " + err);
            }
            // Adam on the FP32 master weights, from the unscaled 16-bit gradients: the CPU engine's Adam given the
            // same gradients moves the weights the same way (bit for bit on the simulator; the update of one step is
            // about lr per weight, so comparing with the FP32 run's step would only measure sign flips of
            // near-zero gradients).
            ParameterStore expected = SPEC.newParameterStore();
            System.arraycopy(init.values, 0, expected.values, 0, init.values.length);
            System.arraycopy(grads, 0, expected.grads, 0, grads.length);
            new Adam(1e-3f, 0.9f, 0.999f, 1e-8f, 0f).step(expected); // as the CPU engine makes it from EngineConfig
            ParameterStore after = SPEC.newParameterStore();
            gpu.readParameters(after);
            double err = CudaEngineContract.relativeError(after.values, 0, expected.values, 0, expected.size());
            assertTrue(err <= adamBound(), p + " FP32 master weights after one Adam step, relative error " + err);
            assertEquals(1, gpu.step());
            System.out.printf("%s: worst layer output error %.2e (%.1f u), worst gradient error %.2e (%.1f sqrt(u))%n",
                    p, worst, worst / u, worstGrad, worstGrad / Math.sqrt(u));
            if (p == Precision.FP16) {
                assertEquals(new OptimizerState.LossScale(MixedPrecisionKernels.INIT_SCALE, 1, 0), gpu.lossScale(),
                        "scale kept, one good step, none skipped");
            } else {
                assertEquals(null, gpu.lossScale(), "bf16 does not scale");
            }
        }
    }

    /**
     * A step whose scaled gradients overflow fp16 changes nothing but the scale, as GradScaler: the FP32 weights,
     * Adam's moments and step count stay, the scale halves, the skip is counted; the next step trains.
     */
    @Test
    void anOverflowingFp16StepIsSkippedAndHalvesTheScale() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 64, 32);
        int n = 16;
        ParameterStore init = init(11);
        try (Device dev = newDevice(); CudaEngine gpu = engine(dev, Precision.FP16, init, data, n, false, 11)) {
            gpu.overrideLossScale(0x1p40f); // dL/dlogits of order 1/n times 2^40 is far beyond fp16's 65504
            gpu.trainStep(null, 0, n);
            ParameterStore after = SPEC.newParameterStore();
            gpu.readParameters(after);
            assertArrayEquals(init.values, after.values, "weights untouched by the skipped step");
            var state = gpu.optimizerState();
            for (float m : state.m()) {
                assertEquals(0f, m, "Adam's first moment untouched");
            }
            assertEquals(new OptimizerState.LossScale(0x1p39f, 0, 1), gpu.lossScale(), "scale halved, one step skipped");

            gpu.overrideLossScale(1024f);
            gpu.trainStep(null, n, n);
            gpu.readParameters(after);
            double moved = CudaEngineContract.relativeError(after.values, 0, init.values, 0, init.size());
            assertTrue(moved > 1e-4, "the next step trains: weights moved by " + moved);
            assertEquals(new OptimizerState.LossScale(1024, 1, 0), gpu.lossScale());
        }
    }

    /** Graph replay runs the same device work as eager steps, scale decisions included. */
    @ParameterizedTest
    @EnumSource(names = {"FP16", "BF16"})
    void graphReplayMatchesEagerSteps(Precision p) {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 64, 32);
        float[][] result = new float[2][];
        for (int g = 0; g < 2; g++) {
            try (Device dev = newDevice(); CudaEngine e = engine(dev, p, init(5), data, 16, g == 1, 5)) {
                for (int s = 0; s < 4; s++) {
                    e.trainStep(null, 16 * s, 16);
                }
                ParameterStore out = SPEC.newParameterStore();
                e.readParameters(out);
                result[g] = out.values;
            }
        }
        double err = CudaEngineContract.relativeError(result[1], 0, result[0], 0, result[0].length);
        assertTrue(err <= replayBound(), p + ": graph replay vs eager, relative error " + err);
    }

    /** Adam on the master weights is our kernel, the CPU engine's arithmetic: exact on the simulator. */
    double adamBound() {
        return 0;
    }

    /** 0 where the device is deterministic (the simulator); a GPU's atomics-based algorithms differ a little. */
    double replayBound() {
        return 0;
    }

    /** Three epochs on the synthetic set train as FP32 does: the same falling loss and a comparable accuracy. */
    @ParameterizedTest
    @EnumSource(names = {"FP16", "BF16"})
    void trainingOnTheSyntheticSetFollowsFp32(Precision p) {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 160, 64);
        long seed = 3;
        TrainOptions options = new TrainOptions(3, 32, true, seed);
        List<EpochMetrics> fp32;
        try (Engine e = new CpuEngine(new EngineConfig(1e-3f, 0f, seed, false), SPEC, init(seed), data.train(),
                data.test())) {
            fp32 = new Trainer(e, options, 160, 64, quiet(), true).run(1);
        }
        List<EpochMetrics> mixed;
        try (Device dev = newDevice(); Engine e = engine(dev, p, init(seed), data, 32, true, seed)) {
            mixed = new Trainer(e, options, 160, 64, quiet(), true).run(1);
        }
        System.out.println(p + " on " + getClass().getSimpleName() + ", 3 epochs: " + mixed);
        System.out.println("fp32 CPU engine, 3 epochs: " + fp32);
        for (int i = 0; i < 3; i++) {
            EpochMetrics a = mixed.get(i);
            EpochMetrics b = fp32.get(i);
            assertEquals(b.trainLoss(), a.trainLoss(), 0.05 * b.trainLoss(), p + " train loss, epoch " + (i + 1));
            assertEquals(b.testLoss(), a.testLoss(), 0.05 * b.testLoss(), p + " test loss, epoch " + (i + 1));
            assertEquals(b.testAccuracy(), a.testAccuracy(), 6.0 / 64, p + " test accuracy, epoch " + (i + 1));
        }
        assertTrue(mixed.get(2).trainLoss() < mixed.get(0).trainLoss(), "the loss falls: " + mixed);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
