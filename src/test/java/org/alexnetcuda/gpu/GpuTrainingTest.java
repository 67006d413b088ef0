package org.alexnetcuda.gpu;

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
import org.alexnetcuda.engine.cpu.CpuEngine;
import org.alexnetcuda.engine.cuda.CudaEngine;
import org.alexnetcuda.engine.cuda.MemoryEstimate;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.train.EpochMetrics;
import org.alexnetcuda.train.TrainOptions;
import org.alexnetcuda.train.Trainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Training on a real GPU: no allocation or memory growth over 200 steps, and the CPU engine's accuracy reached. */
@Tag("gpu")
class GpuTrainingTest {
    private static final Path SYNTH = Path.of("test-data", "synth-small");

    @Test
    void twoHundredNotebookStepsAllocateNothing() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, Cifar10Reader.ALL, Cifar10Reader.ALL);
        try (Device dev = GpuSupport.open()) {
            // On the host stand-in the simulator computes: the notebook's 200 steps at 227 would take an hour there,
            // and a narrow network at 67 makes the very same calls, so allocation shows as well in 40 steps.
            boolean standin = GpuSupport.isStandin(dev);
            if (standin) {
                System.out.println("on the host stand-in: 40 steps of a narrow AlexNet at input 67 (the notebook's "
                        + "200 steps at 227 take an hour on the simulator)");
            }
            NetworkSpec spec = standin
                    ? AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f),
                            new AlexNet.Widths(8, 16, 16, 16, 16, 32))
                    : AlexNet.build(ModelConfig.NOTEBOOK);
            stepsAllocateNothing(dev, spec, data, standin ? 40 : 200);
        }
    }

    private static void stepsAllocateNothing(Device dev, NetworkSpec spec, Cifar10Reader.Splits data, int total) {
        ParameterStore init = spec.newParameterStore();
        XavierInit.initialize(spec, init, 1);
        try (CudaEngine e = new CudaEngine(dev, new EngineConfig(1e-3f, 0f, 1, false), spec, init, data.train(),
                     data.test(), 64, MemoryEstimate.DEFAULT_WORKSPACE, true)) {
            int steps = 0;
            long freeAfterFirst = -1;
            for (int epoch = 1; steps < total; epoch++) {
                for (EpochBatches.Batch b : EpochBatches.of(data.train().size(), 64, true, 1, epoch)) {
                    e.trainStep(b.indices(), b.from(), b.count());
                    if (++steps == 1) {
                        e.totals();
                        freeAfterFirst = dev.memory().info()[0];
                    }
                    if (steps == total) {
                        break;
                    }
                }
            }
            e.totals();
            long freeAfter = dev.memory().info()[0];
            assertEquals(freeAfterFirst, freeAfter, "free device memory after step 1 and after step " + total);
            assertTrue(Double.isFinite(e.totals().trainLoss()));
        }
    }

    @Test
    void reachesTheCpuEnginesAccuracyOnTheSyntheticSet() {
        NetworkSpec spec = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f), new AlexNet.Widths(16, 32, 48, 48, 32, 128));
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, Cifar10Reader.ALL, Cifar10Reader.ALL);
        TrainOptions options = new TrainOptions(3, 32, true, 11);
        GpuSupport.open().close(); // skip before the CPU run where there is no GPU
        List<EpochMetrics> cpu;
        List<EpochMetrics> gpu;
        try (Engine e = new CpuEngine(new EngineConfig(1e-3f, 0f, 11, false), spec, init(spec), data.train(), data.test())) {
            cpu = new Trainer(e, options, data.train().size(), data.test().size(), quiet(), true).run(1);
        }
        try (Device dev = GpuSupport.open();
             Engine e = new CudaEngine(dev, new EngineConfig(1e-3f, 0f, 11, false), spec, init(spec), data.train(),
                     data.test(), 32, MemoryEstimate.DEFAULT_WORKSPACE, true)) {
            gpu = new Trainer(e, options, data.train().size(), data.test().size(), quiet(), true).run(1);
        }
        System.out.println("CPU engine: " + cpu);
        System.out.println("GPU engine: " + gpu);
        double cpuAcc = cpu.get(2).testAccuracy();
        double gpuAcc = gpu.get(2).testAccuracy();
        assertTrue(gpuAcc >= cpuAcc - 0.05, "GPU accuracy " + gpuAcc + " vs CPU " + cpuAcc);
        assertEquals(cpu.get(2).trainLoss(), gpu.get(2).trainLoss(), 0.05 * cpu.get(2).trainLoss());
    }

    private static ParameterStore init(NetworkSpec spec) {
        ParameterStore s = spec.newParameterStore();
        XavierInit.initialize(spec, s, 11);
        return s;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
