package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Precision;
import org.alexnetcuda.tensor.StorageFormat;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LayerSpec;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Layers whose 16-bit cuDNN calls are refused (CUDNN_STATUS_NOT_SUPPORTED) run in FP32 between casts: the simulator
 * poses as a cuDNN that refuses LRN, pooling, cudnnAddTensor or cudnnConvolutionBackwardBias for HALF and BFLOAT16.
 * Each refusal runs the whole mixed-precision contract (layer outputs and gradients within the format's bounds of
 * FP32, graph replay equal to eager steps, training that follows FP32) for fp16 and bf16: with a layer that did not
 * fall back, the first step would fail with the refusal.
 */
class Fp32FallbackSimTest {
    static final String[] LRN = {"cudnnLRNCrossChannelForward", "cudnnLRNCrossChannelBackward"};
    static final String[] POOLING = {"cudnnPoolingForward", "cudnnPoolingBackward"};
    static final String[] ADD_TENSOR = {"cudnnAddTensor"};
    static final String[] BACKWARD_BIAS = {"cudnnConvolutionBackwardBias"};
    private static final String NOT_SUPPORTED = "CUDNN_STATUS_NOT_SUPPORTED";

    /** The contract's network (LRN after conv1 and conv2) and a small synthetic set, as MixedPrecisionContract. */
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV1_CONV2, 0.5f),
            new AlexNet.Widths(16, 32, 48, 48, 32, 128));
    private static final Path SYNTH = Path.of("test-data", "synth-small");

    /** A simulator whose cuDNN refuses {@code calls} on HALF and BFLOAT16 tensors with {@code status}. */
    static SimDevice refusing(String status, String... calls) {
        SimDevice d = new SimDevice();
        d.dnn().refusing(StorageFormat.BF16, status, calls).refusing(StorageFormat.F16, status, calls);
        return d;
    }

    @Nested
    class LrnRefused extends MixedPrecisionContract {
        @Override
        Device newDevice() {
            return refusing(NOT_SUPPORTED, LRN);
        }
    }

    @Nested
    class PoolingRefused extends MixedPrecisionContract {
        @Override
        Device newDevice() {
            return refusing(NOT_SUPPORTED, POOLING);
        }
    }

    @Nested
    class AddTensorRefused extends MixedPrecisionContract {
        @Override
        Device newDevice() {
            return refusing(NOT_SUPPORTED, ADD_TENSOR);
        }
    }

    @Nested
    class BackwardBiasRefused extends MixedPrecisionContract {
        @Override
        Device newDevice() {
            return refusing(NOT_SUPPORTED, BACKWARD_BIAS);
        }
    }

    private static ParameterStore init() {
        ParameterStore s = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, s, 5);
        return s;
    }

    private static CudaEngine engine(Device dev, Precision p, Cifar10Reader.Splits data, boolean graphs) {
        return new CudaEngine(dev, new EngineConfig(1e-3f, 0f, 5, false, false, p), SPEC, init(), data.train(),
                data.test(), 16, 64L << 20, graphs);
    }

    private static List<String> layersOf(Class<? extends LayerSpec> type) {
        return SPEC.layers().stream().filter(type::isInstance).map(LayerSpec::name).toList();
    }

    /** The layers reported as falling back are exactly those whose calls were refused, with the first call refused. */
    @ParameterizedTest
    @EnumSource(names = {"FP16", "BF16"})
    void theLayersWhoseCallsAreRefusedAreReported(Precision p) {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 32, 16);
        String type = p == Precision.BF16 ? "BFLOAT16" : "HALF";
        record Case(String[] calls, List<String> layers, String firstCall) {
        }
        List<String> lrn = layersOf(LayerSpec.Lrn.class);
        List<String> pools = layersOf(LayerSpec.MaxPool.class);
        List<String> convs = layersOf(LayerSpec.Conv.class);
        // the fully connected layers add their bias with cudnnAddTensor too
        List<String> biased = SPEC.layers().stream().filter(l -> l instanceof LayerSpec.Conv
                || l instanceof LayerSpec.Linear).map(LayerSpec::name).toList();
        assertEquals(2, lrn.size(), "the contract's network has LRN after conv1 and conv2");
        for (Case c : List.of(new Case(LRN, lrn, LRN[0]), new Case(POOLING, pools, POOLING[0]),
                new Case(ADD_TENSOR, biased, ADD_TENSOR[0]), new Case(BACKWARD_BIAS, convs, BACKWARD_BIAS[0]))) {
            try (SimDevice dev = refusing(NOT_SUPPORTED, c.calls()); CudaEngine e = engine(dev, p, data, true)) {
                Fp32Fallback f = e.fp32Fallback();
                assertEquals(c.layers(), f.layers(), String.join(",", c.calls()));
                for (Fp32Fallback.Refusal r : f.refusals()) {
                    assertEquals(new Fp32Fallback.Refusal(r.layer(), c.firstCall(), NOT_SUPPORTED, type), r);
                }
                String reason = "(" + c.firstCall() + ": " + NOT_SUPPORTED + " for " + type + ")";
                assertEquals(String.join(", ", c.layers()) + " run in FP32 " + reason, f.describe());
                // one pool, planned again with the FP32 scratch, which the smaller first plan did not have
                assertTrue(e.memoryPlan().stream().anyMatch(r -> r.name().equals("fp32 fallback x") && r.bytes() > 0));
                e.trainStep(null, 0, 16);
            }
        }
    }

    /**
     * A refused call falls back once, at engine preparation: the step allocates nothing, and graph replays make
     * none of the refused calls (each is made exactly as often as in the two trials: the 16-bit one refused, then
     * none in FP32, since the FP32 layer's calls are of FLOAT).
     */
    @ParameterizedTest
    @EnumSource(names = {"FP16", "BF16"})
    void aFallbackLayerStepAllocatesNothingAndReplays(Precision p) {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 64, 16);
        try (SimDevice dev = refusing(NOT_SUPPORTED, LRN); CudaEngine e = engine(dev, p, data, true)) {
            long allocations = dev.allocationCount();
            assertEquals(2, allocations, "the first pool, for the trial, and the pool planned with the FP32 scratch");
            long lrnForward = dev.callCount(LRN[0]);
            for (int s = 0; s < 4; s++) {
                e.trainStep(null, 16 * s, 16);
            }
            e.totals();
            assertEquals(allocations, dev.allocationCount(), "the steps allocate nothing");
            assertEquals(1, dev.callCount("cuStreamBeginCapture"), "step 2 is captured once");
            assertEquals(3, dev.callCount("cuGraphLaunch"), "steps 2-4 launch it");
            // the eager first step and the captured second call LRN forward on both LRN layers, in FP32
            assertEquals(lrnForward + 2 * 2, dev.callCount(LRN[0]));
        }
    }

    /**
     * Without a refusal nothing falls back: one pool with no FP32 scratch, and a step makes the calls it made
     * before the fallback existed: the refusing engine's step makes the same cuDNN and cuBLAS calls plus exactly
     * the fallback's casts (LRN forward: x widened, y narrowed; backward: x, y, dy widened, dx narrowed).
     */
    @ParameterizedTest
    @EnumSource(names = {"FP16", "BF16"})
    void withoutARefusalNothingFallsBackAndAStepMakesNoExtraCalls(Precision p) {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 32, 16);
        Map<String, Long> plain;
        try (SimDevice dev = new SimDevice(); CudaEngine e = engine(dev, p, data, false)) {
            assertTrue(e.fp32Fallback().isEmpty());
            assertEquals("none", e.fp32Fallback().describe());
            assertEquals(1, dev.allocationCount(), "one pool");
            assertFalse(e.memoryPlan().stream().anyMatch(r -> r.name().startsWith("fp32 fallback")));
            plain = stepCalls(dev, e);
        }
        Map<String, Long> fallback;
        try (SimDevice dev = refusing(NOT_SUPPORTED, LRN); CudaEngine e = engine(dev, p, data, false)) {
            fallback = stepCalls(dev, e);
        }
        int lrnLayers = layersOf(LayerSpec.Lrn.class).size();
        Map<String, Long> expected = new HashMap<>(plain);
        expected.merge("cuLaunchKernel", (long) lrnLayers * (2 + 4), Long::sum);
        assertEquals(expected, fallback);
    }

    /**
     * The simulator computes a 16-bit LRN or pooling call in FP32 on the widened inputs and rounds the result once,
     * which is what the fallback does with our casts: so on it the fallback reproduces the 16-bit layers bit for
     * bit (activations, gradients and weights after Adam), which checks its buffers, casts and formats exactly.
     */
    @ParameterizedTest
    @EnumSource(names = {"FP16", "BF16"})
    void lrnAndPoolingInFp32EqualThe16BitLayersOnTheSimulator(Precision p) {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 32, 16);
        float[][] plain = twoSteps(new SimDevice(), p, data);
        for (String[] calls : List.of(LRN, POOLING)) {
            float[][] fallback = twoSteps(refusing(NOT_SUPPORTED, calls), p, data);
            for (int i = 0; i < plain.length; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(plain[i], fallback[i], calls[0] + ", array " + i);
            }
        }
    }

    /** Every layer's output and the gradients after the second of two steps, and the FP32 weights after them. */
    private static float[][] twoSteps(SimDevice dev, Precision p, Cifar10Reader.Splits data) {
        try (dev; CudaEngine e = engine(dev, p, data, true)) {
            e.trainStep(null, 0, 16);
            e.trainStep(null, 16, 16);
            float[][] out = new float[SPEC.layers().size() + 2][];
            ParameterStore after = SPEC.newParameterStore();
            e.readParameters(after);
            out[0] = after.values;
            out[1] = e.readGradients();
            for (int i = 0; i < SPEC.layers().size(); i++) {
                out[i + 2] = e.readActivation(i, 16);
            }
            return out;
        }
    }

    private static Map<String, Long> stepCalls(SimDevice dev, CudaEngine e) {
        e.trainStep(null, 0, 16);
        e.totals();
        dev.resetCounts();
        e.trainStep(null, 16, 16);
        e.totals();
        return dev.callCounts();
    }

    /** An FP32 engine neither tries nor falls back: it has no 16-bit calls to refuse. */
    @Test
    void fp32NeverFallsBack() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 32, 16);
        try (SimDevice dev = new SimDevice()) {
            dev.dnn().refusing(StorageFormat.F32, "CUDNN_STATUS_BAD_PARAM", "cudnnLRNCrossChannelBackward");
            try (CudaEngine e = engine(dev, Precision.FP32, data, false)) {
                assertTrue(e.fp32Fallback().isEmpty());
                DeviceException ex = assertThrows(DeviceException.class, () -> e.trainStep(null, 0, 16));
                assertEquals("CUDNN_STATUS_BAD_PARAM", ex.status(), "the FP32 refusal surfaces at the step, as before");
            }
        }
    }

    /** Any status but NOT_SUPPORTED still fails, in one line naming the call and the status, when the engine is made. */
    @ParameterizedTest
    @EnumSource(names = {"FP16", "BF16"})
    void aRefusalWithAnotherStatusFailsInOneLine(Precision p) {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 32, 16);
        try (SimDevice dev = refusing("CUDNN_STATUS_BAD_PARAM", POOLING)) {
            DeviceException ex = assertThrows(DeviceException.class, () -> engine(dev, p, data, true).close());
            assertEquals("CUDNN_STATUS_BAD_PARAM", ex.status());
            assertTrue(ex.getMessage().startsWith("cudnnPoolingForward: CUDNN_STATUS_BAD_PARAM"), ex.getMessage());
            assertFalse(ex.getMessage().contains("\n"), ex.getMessage());
        }
    }

    /** A call refused in FP32 too (here: LRN refused for every type) fails when the engine is made, not mid-run. */
    @Test
    void aCallRefusedInFp32TooFailsWhenTheEngineIsMade() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 32, 16);
        try (SimDevice dev = refusing(NOT_SUPPORTED, LRN)) {
            dev.dnn().refusing(StorageFormat.F32, NOT_SUPPORTED, LRN);
            DeviceException ex = assertThrows(DeviceException.class,
                    () -> engine(dev, Precision.BF16, data, true).close());
            assertTrue(ex.getMessage().startsWith("cudnnLRNCrossChannelForward: CUDNN_STATUS_NOT_SUPPORTED"),
                    ex.getMessage());
            assertTrue(ex.getMessage().contains("CUDNN_DATA_FLOAT"), ex.getMessage());
        }
    }
}
