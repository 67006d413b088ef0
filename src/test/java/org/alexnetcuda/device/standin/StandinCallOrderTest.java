package org.alexnetcuda.device.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.cuda.CudaEngine;
import org.alexnetcuda.engine.cuda.MemoryEstimate;
import org.alexnetcuda.gpu.GpuSupport;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.ParameterStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For one training step, the calls the simulator serves through JCuda and the stand-in are the calls it serves
 * when the engine uses it directly, one for one and in the same order: the JCuda layer and the C stand-in add,
 * drop and reorder nothing. Each call is compared with its arguments as the simulator received them: enums,
 * dimensions, scalars, descriptors by their contents, kernel arguments, and pointers as offsets into their
 * allocation (the engine's planned pool), so the addresses of two devices do not matter.
 */
@Tag("standin")
class StandinCallOrderTest {
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f),
            new AlexNet.Widths(8, 16, 16, 16, 16, 32));

    /** Two steps; the calls of the second (the first loads modules and initialises the libraries). */
    private static List<String> secondStep(Device device, SimDevice recorder, boolean graphs) {
        Cifar10Reader.Splits data = Cifar10Reader.read(Path.of("test-data", "synth-small"), 64, 32);
        ParameterStore init = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, init, 5);
        try (CudaEngine e = new CudaEngine(device, new EngineConfig(1e-3f, 0f, 5, false), SPEC, init, data.train(),
                data.test(), 32, MemoryEstimate.DEFAULT_WORKSPACE, graphs)) {
            e.trainStep(null, 0, 32);
            e.totals();
            recorder.recordCalls();
            e.trainStep(null, 32, 32);
            e.totals();
            return recorder.recordedCalls();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oneStepMakesTheSameCallsInTheSameOrder(boolean graphs) {
        List<String> direct;
        try (SimDevice sim = new SimDevice()) {
            direct = secondStep(sim, sim, graphs);
        }
        List<String> throughJCuda;
        try (Device dev = GpuSupport.open()) {
            throughJCuda = secondStep(dev, Standin.instance().device("test", "none"), graphs);
        }
        String expected = graphs ? "cuGraphLaunch(graph exec of " : "cudnnConvolutionForward(1.0, tensor 32x3x67x67";
        assertTrue(direct.stream().anyMatch(c -> c.startsWith(expected)), () -> String.join("\n", direct));
        for (int i = 0; i < Math.min(direct.size(), throughJCuda.size()); i++) {
            int at = i;
            assertEquals(direct.get(i), throughJCuda.get(i), () -> "call " + at + " of the step");
        }
        assertEquals(direct.size(), throughJCuda.size(), () -> "calls in the step; through JCuda:\n"
                + String.join("\n", throughJCuda));
        System.out.println("one " + (graphs ? "graph" : "eager") + " step: " + direct.size() + " calls, the same "
                + "through JCuda and the stand-in");
    }
}
