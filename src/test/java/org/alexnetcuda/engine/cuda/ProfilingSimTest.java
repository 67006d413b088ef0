package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.profile.ProfileSteps;
import org.alexnetcuda.tensor.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * The engine's NVTX ranges and profiler window, as the simulator records them: nothing unless asked; the window's
 * steps eager, bracketed by start and stop, each kernel-issuing call inside its layer's range; the results the same
 * as without profiling.
 */
class ProfilingSimTest {
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f),
            new AlexNet.Widths(4, 8, 8, 8, 8, 16));
    private static final int BATCH = 8;

    private static CudaEngine engine(SimDevice dev) {
        Cifar10Reader.Splits data = Cifar10Reader.read(Path.of("test-data", "synth-small"), 16, 8);
        ParameterStore init = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, init, 5);
        return new CudaEngine(dev, new EngineConfig(1e-3f, 0f, 5, false), SPEC, init, data.train(), data.test(), BATCH,
                16L << 20, true);
    }

    /** The ranges one eager training step opens, in order. */
    private static List<String> eagerStepRanges(long step) {
        List<String> r = new ArrayList<>(List.of("train step " + step, "zero gradients", "data"));
        SPEC.layers().forEach(l -> r.add(l.name() + " forward"));
        r.add("loss");
        for (int i = SPEC.layers().size() - 1; i >= 0; i--) {
            r.add(SPEC.layers().get(i).name() + " backward");
        }
        r.add("adam");
        return r;
    }

    private static List<String> pushed(List<String> events) {
        List<String> r = new ArrayList<>();
        for (String e : events) {
            if (e.startsWith("push ")) {
                r.add(e.substring(5));
            }
        }
        return r;
    }

    @Test
    void nothingIsRecordedUnlessProfilingIsAsked() {
        try (SimDevice dev = new SimDevice(); CudaEngine e = engine(dev)) {
            for (int s = 0; s < 3; s++) {
                e.trainStep(null, 0, BATCH);
            }
            e.evalBatch(null, 0, BATCH);
            assertEquals(List.of(), dev.profiler().events());
            assertEquals(0, dev.callCount("nvtxRangePushA"));
            assertEquals("off", e.profiling());
        }
    }

    @Test
    void theWindowsStepsRunEagerlyBetweenStartAndStopWithEveryRange() {
        try (SimDevice dev = new SimDevice(); CudaEngine e = engine(dev)) {
            e.trainStep(null, 0, BATCH); // steps before profiling: the first eager, the second captured and replayed
            e.trainStep(null, 0, BATCH);
            e.profile(false, new ProfileSteps(2, 3));
            List<Long> launches = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                dev.profiler().clear();
                long before = dev.callCount("cuGraphLaunch");
                e.trainStep(null, 0, BATCH);
                launches.add(dev.callCount("cuGraphLaunch") - before);
                List<String> ev = dev.profiler().events();
                long step = s + 3;
                if (s == 1) {
                    assertEquals("start", ev.get(0), ev::toString);
                    assertEquals(eagerStepRanges(step), pushed(ev));
                } else if (s == 2) {
                    assertEquals("stop", ev.get(ev.size() - 1), ev::toString);
                    assertEquals(eagerStepRanges(step), pushed(ev));
                } else {
                    assertEquals(List.of("push train step " + step, "pop"), ev, "a graph replay is one range");
                }
                assertEquals(0, dev.profiler().depth(), "ranges balanced");
            }
            assertEquals(List.of(1L, 0L, 0L, 1L), launches, "the window's steps 2 and 3 (of this phase) are eager");
            assertFalse(dev.profiler().collecting());
            assertEquals(1, dev.callCount("cuProfilerStart"));
            assertEquals(1, dev.callCount("cuProfilerStop"));
            assertTrue(e.profiling().contains("steps 2:3"), e.profiling());
        }
    }

    @Test
    void nvtxAloneRangesEveryStepAndMarksLayersOnlyAtCapture() {
        try (SimDevice dev = new SimDevice(); CudaEngine e = engine(dev)) {
            e.profile(true, null);
            e.trainStep(null, 0, BATCH);
            assertEquals(eagerStepRanges(1), pushed(dev.profiler().events()), "the first step runs eagerly");
            assertEquals(0, dev.callCount("cuStreamBeginCapture"));
            dev.profiler().clear();
            e.trainStep(null, 0, BATCH);
            List<String> second = pushed(dev.profiler().events());
            assertEquals(eagerStepRanges(2), second, "the capture issues every layer once, inside its range");
            assertEquals(1, dev.callCount("cuStreamBeginCapture"));
            dev.profiler().clear();
            e.trainStep(null, 0, BATCH);
            assertEquals(List.of("push train step 3", "pop"), dev.profiler().events());
            assertEquals(0, dev.callCount("cuProfilerStart"));
            assertEquals(0, dev.profiler().depth());
            dev.profiler().clear();
            e.evalBatch(null, 0, BATCH);
            assertEquals("eval batch", pushed(dev.profiler().events()).get(0));
        }
    }

    @Test
    void profilingDoesNotChangeTheResult() {
        float[] plain;
        float[] profiled;
        try (SimDevice dev = new SimDevice(); CudaEngine e = engine(dev)) {
            for (int s = 0; s < 4; s++) {
                e.trainStep(null, 0, BATCH);
            }
            ParameterStore p = SPEC.newParameterStore();
            e.readParameters(p);
            plain = p.values;
        }
        try (SimDevice dev = new SimDevice(); CudaEngine e = engine(dev)) {
            e.profile(true, new ProfileSteps(2, 3));
            for (int s = 0; s < 4; s++) {
                e.trainStep(null, 0, BATCH);
            }
            ParameterStore p = SPEC.newParameterStore();
            e.readParameters(p);
            profiled = p.values;
        }
        assertTrue(plain.length > 0);
        assertArrayEquals(plain, profiled);
    }
}
