package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Collections;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.ParameterStore;
import org.alexnetcuda.model.AlexNet;
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
}
