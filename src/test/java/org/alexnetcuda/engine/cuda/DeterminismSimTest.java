package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.ConvAlgorithmNames;
import org.alexnetcuda.device.Dnn.AlgoPerf;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.ParameterStore;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LayerSpec;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.junit.jupiter.api.Test;

/**
 * What --deterministic asks of cuDNN besides deterministic convolution algorithms, as the simulator records it: the
 * overlapping max poolings (3x3, stride 2) in CUDNN_POOLING_MAX_DETERMINISTIC, whose backward is reproducible
 * (CUDNN_POOLING_MAX's is not: cuDNN developer guide, Reproducibility).
 */
class DeterminismSimTest {
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f),
            new AlexNet.Widths(4, 8, 8, 8, 8, 16));

    private static CudaEngine engine(SimDevice dev, boolean deterministic) {
        Cifar10Reader.Splits data = Cifar10Reader.read(Path.of("test-data", "synth-small"), 16, 8);
        ParameterStore init = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, init, 3);
        return new CudaEngine(dev, new EngineConfig(1e-3f, 0f, 3, false, deterministic), SPEC, init, data.train(),
                data.test(), 8, 16L << 20, true);
    }

    @Test
    void deterministicRunsPoolInCudnnsDeterministicMaxMode() {
        try (SimDevice dev = new SimDevice(); CudaEngine e = engine(dev, true)) {
            assertEquals(Collections.nCopies(3, "CUDNN_POOLING_MAX_DETERMINISTIC"), dev.dnn().poolingModes());
        }
        try (SimDevice dev = new SimDevice(); CudaEngine e = engine(dev, false)) {
            assertEquals(Collections.nCopies(3, "CUDNN_POOLING_MAX"), dev.dnn().poolingModes());
        }
    }

    /**
     * conv1's input gradient is never computed, so its backward-data algorithm is neither searched nor planned: under
     * --deterministic a search that found no deterministic algorithm for conv1's shape would otherwise refuse the run.
     * The sets (16 training and 8 test images at batch 8) give one batch size, so each search runs once per layer.
     */
    @Test
    void theFirstConvolutionSearchesNoBackwardDataAlgorithm() {
        for (boolean deterministic : new boolean[] {true, false}) {
            try (SimDevice dev = new SimDevice(); CudaEngine e = engine(dev, deterministic)) {
                long convs = SPEC.layers().stream().filter(l -> l instanceof LayerSpec.Conv).count();
                assertEquals(convs, dev.callCount("cudnnGetConvolutionForwardAlgorithm_v7"));
                assertEquals(convs, dev.callCount("cudnnGetConvolutionBackwardFilterAlgorithm_v7"));
                assertEquals(convs - 1, dev.callCount("cudnnGetConvolutionBackwardDataAlgorithm_v7"));
                assertEquals(convs - 1, dev.callCount("cudnnGetConvolutionBackwardDataWorkspaceSize"));
                List<ConvChoice> choices = e.convolutionChoices();
                assertEquals(ConvChoice.NONE, choices.get(0).backwardData().algo());
                assertEquals("none (no input gradient)", choices.get(0).backwardDataName());
                for (ConvChoice c : choices.subList(1, choices.size())) {
                    assertNotEquals(ConvChoice.NONE, c.backwardData().algo(), c.layer());
                }
                for (ConvChoice c : choices) {
                    // The simulator reports the descriptor's math type for each timed entry, as cuDNN does.
                    assertEquals("FMA_MATH", c.descriptorMathName(), c.layer());
                    assertEquals(List.of(), c.mathMismatches(), c.layer());
                }
                e.trainStep(null, 0, 8);  // conv1 backward then runs without dx
            }
        }
    }

    /** A pass timed in another math type than the descriptor runs it in is named; an unreported one is not. */
    @Test
    void aPassTimedInAnotherMathTypeIsNamed() {
        ConvChoice c = new ConvChoice("conv3", new ConvChoice.Pass(1, AlgoPerf.MATH_NOT_REPORTED),
                new ConvChoice.Pass(1, ConvAlgorithmNames.TENSOR_OP_MATH), new ConvChoice.Pass(0,
                        ConvAlgorithmNames.DEFAULT_MATH), 1 << 20, ConvAlgorithmNames.TENSOR_OP_MATH);
        assertEquals(List.of("backward filter timed in DEFAULT_MATH"), c.mathMismatches());
        assertEquals("TENSOR_OP_MATH", c.descriptorMathName());
        assertEquals("not reported", ConvAlgorithmNames.mathType(c.forward().timedMath()));
    }
}
