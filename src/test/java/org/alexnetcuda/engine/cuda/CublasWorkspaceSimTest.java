package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * cuBLAS works in a workspace from the engine's pool (cublasSetWorkspace after cublasSetStream, which resets it), so
 * that a captured step holds no cuBLAS allocation nodes; closing the engine leaves the device's handles on the
 * legacy stream and cuBLAS's own workspace, not on the freed pool.
 */
class CublasWorkspaceSimTest {
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f),
            new AlexNet.Widths(4, 8, 8, 8, 8, 16));

    @Test
    void theEngineGivesCublasAWorkspaceFromItsPoolAndTakesItBackOnClose() {
        Cifar10Reader.Splits data = Cifar10Reader.read(Path.of("test-data", "synth-small"), 16, 8);
        ParameterStore init = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, init, 3);
        try (SimDevice dev = new SimDevice()) {
            try (CudaEngine e = new CudaEngine(dev, new EngineConfig(1e-3f, 0f, 3, false, false), SPEC, init,
                    data.train(), data.test(), 8, 16L << 20, true)) {
                assertEquals(MemoryPlan.CUBLAS_WORKSPACE_BYTES, dev.blas().workspaceBytes());
                DevicePool.Region r = e.memoryPlan().stream().filter(x -> x.name().equals("cublas workspace"))
                        .findFirst().orElseThrow();
                assertTrue(dev.memory().describe(dev.blas().workspace()).contains("offset " + r.offset() + " of"),
                        dev.memory().describe(dev.blas().workspace()));
                for (int s = 0; s < 3; s++) {
                    e.trainStep(null, 0, 8);
                }
                assertEquals(MemoryPlan.CUBLAS_WORKSPACE_BYTES, dev.blas().workspaceBytes(), "still set after capture");
            }
            assertEquals(0, dev.blas().workspaceBytes());
            assertNull(dev.blas().workspace());
        }
    }
}
