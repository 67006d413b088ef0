package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.data.EpochBatches;
import org.alexnetcuda.data.Preprocessing;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.engine.cpu.CpuEngine;
import org.alexnetcuda.engine.cpu.CpuNetwork;
import org.alexnetcuda.math.Adam;
import org.alexnetcuda.math.SoftmaxCrossEntropy;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Tensor;
import org.alexnetcuda.train.EpochMetrics;
import org.alexnetcuda.train.TrainOptions;
import org.alexnetcuda.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The CUDA engine compared with the CPU reference engine, on any device: the CPU simulator of the device API in
 * CI ({@link CudaEngineSimTest}), a real GPU in the GPU suite. The engine code is the same; only the device differs.
 */
abstract class CudaEngineContract {
    private static final Path SYNTH = Path.of("test-data", "synth-small");
    /** The notebook's topology with LRN after conv1 and conv2, narrow, at a small input: fast, and every layer kind. */
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV1_CONV2, 0.5f),
            new AlexNet.Widths(16, 32, 48, 48, 32, 128));
    private static final long WORKSPACE = 64L << 20;

    /**
     * Float results differ from the CPU engine's only by summation order (cuDNN/cuBLAS-style GEMMs in the
     * simulator vs the CPU layers): relative to each tensor's norm, a few 1e-6 per layer.
     */
    private static final double LAYER_BOUND = 1e-4;

    /** A fresh device for one test. */
    abstract Device newDevice();

    /** The bound on each layer's norm-wise relative error against the CPU engine on this device. */
    double layerBound() {
        return LAYER_BOUND;
    }

    /** Whether the device computes deterministically, so that graph replay must equal eager execution bit for bit. */
    boolean bitwiseDeterministic() {
        return true;
    }

    /** What the device-API calls of a run were, or an empty map where the device does not count them. */
    Map<String, Long> callCounts(Device d) {
        return d instanceof SimDevice s ? s.callCounts() : Map.of();
    }

    /** cuMemAlloc calls so far, or -1 where the device does not count them. */
    long allocations(Device d) {
        return d instanceof SimDevice s ? s.allocationCount() : -1;
    }

    private static ParameterStore init(long seed) {
        ParameterStore s = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, s, seed);
        return s;
    }

    private static CudaEngine simEngine(Device dev, ParameterStore init, Cifar10Reader.Splits data, int batch,
                                        boolean graphs, long seed) {
        return new CudaEngine(dev, new EngineConfig(1e-3f, 0f, seed, false), SPEC, init, data.train(), data.test(),
                batch, WORKSPACE, graphs);
    }

    static double relativeError(float[] actual, int offset, float[] expected, int expectedOffset, int n) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) actual[offset + i] - expected[expectedOffset + i];
            diff += d * d;
            ref += (double) expected[expectedOffset + i] * expected[expectedOffset + i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(ref), 1e-30);
    }

    /**
     * The CPU reference engine's first training step (step 0, so the same dropout masks) on the batch perm[0..n) of
     * the training set, from the weights init: activations and gradients in the returned network and its store.
     */
    static CpuNetwork cpuReferenceStep(NetworkSpec spec, ParameterStore init, Cifar10Reader.Splits data, int[] perm,
                                       int n, long seed) {
        ParameterStore store = spec.newParameterStore();
        System.arraycopy(init.values, 0, store.values, 0, init.values.length);
        CpuNetwork cpu = new CpuNetwork(spec, store, seed);
        Tensor x = cpu.input(n);
        int[] labels = new int[n];
        Preprocessing.fillBatch(data.train(), perm, 0, n, spec.inputSize(), null, x.data);
        Preprocessing.fillLabels(data.train(), perm, 0, n, labels);
        Pass pass = Pass.train(0);
        cpu.forward(pass);
        SoftmaxCrossEntropy.compute(cpu.activation(spec.layers().size() - 1), labels, cpu.logitsGradient());
        store.zeroGrads();
        cpu.backward(pass);
        return cpu;
    }

    @Test
    void oneTrainingStepMatchesTheCpuEngineLayerByLayer() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 64, 32);
        int n = 24;
        long seed = 7;
        ParameterStore init = init(seed);
        EpochBatches order = EpochBatches.of(64, n, true, seed, 1);
        int[] perm = order.order();

        // CPU reference: the same batch, the same step 0, the same dropout masks.
        CpuNetwork cpu = cpuReferenceStep(SPEC, init, data, perm, n, seed);
        ParameterStore cpuStore = cpu.store();

        try (Device dev = newDevice(); CudaEngine gpu = simEngine(dev, init, data, n, false, seed)) {
            gpu.trainStep(perm, 0, n);
            for (int i = 0; i < SPEC.layers().size(); i++) {
                float[] ours = gpu.readActivation(i, n);
                float[] ref = cpu.activation(i).data;
                double err = relativeError(ours, 0, ref, 0, ref.length);
                assertTrue(err < layerBound(), SPEC.layers().get(i).name() + " output relative error " + err);
            }
            float[] grads = gpu.readGradients();
            for (Parameter p : cpuStore.parameters()) {
                double err = relativeError(grads, p.offset(), cpuStore.grads, p.offset(), p.size());
                assertTrue(err < layerBound() * 10, p.name() + " gradient relative error " + err);
            }
            // Adam, after the same gradients, moves the weights the same way.
            new Adam().step(cpuStore);
            ParameterStore after = SPEC.newParameterStore();
            gpu.readParameters(after);
            double err = relativeError(after.values, 0, cpuStore.values, 0, cpuStore.size());
            assertTrue(err < layerBound() / 10, "parameters after one Adam step, relative error " + err);
            assertEquals(1, gpu.step());
        }
    }

    @Test
    void threeEpochsMatchTheCpuEngine() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 160, 64);
        long seed = 3;
        TrainOptions options = new TrainOptions(3, 32, true, seed);
        List<EpochMetrics> cpu;
        try (Engine e = new CpuEngine(new EngineConfig(1e-3f, 0f, seed, false), SPEC, init(seed), data.train(), data.test())) {
            cpu = new Trainer(e, options, 160, 64, quiet(), true).run(1);
        }
        List<EpochMetrics> sim;
        Map<String, Long> calls;
        try (Device dev = newDevice(); Engine e = simEngine(dev, init(seed), data, 32, true, seed)) {
            sim = new Trainer(e, options, 160, 64, quiet(), true).run(1);
            calls = callCounts(dev);
        }
        System.out.println("CUDA engine on " + getClass().getSimpleName() + ", 3 epochs: " + sim);
        System.out.println("CPU engine, 3 epochs:                   " + cpu);
        System.out.println("device-API calls served: " + calls.values().stream().mapToLong(Long::longValue).sum()
                + " " + calls);
        for (int i = 0; i < 3; i++) {
            EpochMetrics a = sim.get(i);
            EpochMetrics b = cpu.get(i);
            // Summation-order differences grow over 15 Adam steps but stay far below the changes training makes.
            assertEquals(b.trainLoss(), a.trainLoss(), 1e-3 * Math.abs(b.trainLoss()), "train loss, epoch " + (i + 1));
            assertEquals(b.testLoss(), a.testLoss(), 1e-3 * Math.abs(b.testLoss()), "test loss, epoch " + (i + 1));
            assertEquals(b.testAccuracy(), a.testAccuracy(), 2.0 / 64, "test accuracy, epoch " + (i + 1));
        }
        assertTrue(sim.get(2).trainLoss() < sim.get(0).trainLoss(), "the loss falls: " + sim);
    }

    @Test
    void augmentedTrainingMatchesTheCpuEngine() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 100, 32);
        long seed = 5;
        TrainOptions options = new TrainOptions(2, 32, true, seed);
        EngineConfig cfg = new EngineConfig(1e-3f, 0f, seed, true);
        List<EpochMetrics> cpu;
        try (Engine e = new CpuEngine(cfg, SPEC, init(seed), data.train(), data.test())) {
            cpu = new Trainer(e, options, 100, 32, quiet(), true).run(1);
        }
        List<EpochMetrics> dev;
        try (Device d = newDevice(); Engine e = new CudaEngine(d, cfg, SPEC, init(seed), data.train(), data.test(), 32,
                WORKSPACE, true)) {
            dev = new Trainer(e, options, 100, 32, quiet(), true).run(1);
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(cpu.get(i).trainLoss(), dev.get(i).trainLoss(), 1e-3 * cpu.get(i).trainLoss(),
                    "train loss with random crops and flips, epoch " + (i + 1));
            assertEquals(cpu.get(i).testLoss(), dev.get(i).testLoss(), 1e-3 * cpu.get(i).testLoss(),
                    "test loss after training with random crops and flips, epoch " + (i + 1));
        }
    }

    @Test
    void graphReplayEqualsEagerExecutionAndNothingIsAllocatedInAStep() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 100, 40);
        long seed = 11;
        float[][] weights = new float[2][];
        double[] losses = new double[2];
        for (int run = 0; run < 2; run++) {
            boolean graphs = run == 0;
            try (Device dev = newDevice(); CudaEngine e = simEngine(dev, init(seed), data, 16, graphs, seed)) {
                long allocations = allocations(dev);
                if (allocations >= 0) {
                    assertEquals(1, allocations, "one planned pool");
                }
                for (int epoch = 1; epoch <= 2; epoch++) {
                    for (EpochBatches.Batch b : EpochBatches.of(100, 16, true, seed, epoch)) {
                        e.trainStep(b.indices(), b.from(), b.count());
                    }
                    Trainer.evaluate(e, 40, 16);
                }
                assertEquals(allocations, allocations(dev), "no allocation inside any step");
                if (graphs && dev instanceof SimDevice) {
                    // One graph for the full training step, one for the full evaluation batch.
                    SimDevice sd = (SimDevice) dev;
                    assertEquals(2, sd.callCount("cuStreamBeginCapture"), sd.callCounts().toString());
                    assertTrue(sd.callCount("cuGraphLaunch") >= 12, sd.callCounts().toString());
                }
                ParameterStore s = SPEC.newParameterStore();
                e.readParameters(s);
                weights[run] = s.values;
                losses[run] = e.totals().trainLossSum();
            }
        }
        if (bitwiseDeterministic()) {
            assertArrayEquals(weights[1], weights[0], "graph replay and eager steps give the same weights");
            assertEquals(losses[1], losses[0]);
        } else {
            double err = relativeError(weights[0], 0, weights[1], 0, weights[1].length);
            assertTrue(err < layerBound(), "graph replay vs eager weights, relative error " + err);
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
