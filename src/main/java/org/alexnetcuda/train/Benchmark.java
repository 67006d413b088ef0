package org.alexnetcuda.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.engine.cpu.CpuNetwork;
import org.alexnetcuda.engine.cuda.ConvChoice;
import org.alexnetcuda.engine.cuda.Fp32Fallback;
import org.alexnetcuda.engine.cuda.CudaEngine;
import org.alexnetcuda.engine.cuda.MemoryEstimate;
import org.alexnetcuda.math.Adam;
import org.alexnetcuda.math.SoftmaxCrossEntropy;
import org.alexnetcuda.model.FlopCount;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.profile.ProfileSteps;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Precision;
import org.alexnetcuda.tensor.Tensor;

/**
 * Steady-state speed of an engine, like {@code caffe time}: full training steps (forward, loss, backward, Adam) and
 * inference batches after warm-up, with each layer's forward and backward time. The CPU engine runs on a random
 * batch already in memory (its preprocessing left out, as the PyTorch baseline leaves its DataLoader out); the
 * CUDA engine gathers and preprocesses its batch on the device from a random uint8 dataset there, as in training,
 * and is timed by device events (on the simulator these are host times, marked simulated).
 */
public final class Benchmark {
    private Benchmark() {
    }

    /** One layer's mean milliseconds per training step. */
    public record LayerTime(String name, String type, double forwardMs, double backwardMs) {
    }

    /**
     * How to run the CUDA engine's benchmark.
     *
     * @param graphs       time replayed CUDA graphs (false: eager steps)
     * @param nvtx         NVTX ranges on every step
     * @param profileSteps after the warm-up, run these steps eagerly between cuProfilerStart and cuProfilerStop
     *                     (null: none), before anything is timed
     */
    public record Options(int batch, int warmup, int steps, long seed, boolean graphs, Precision precision,
                          boolean nvtx, ProfileSteps profileSteps) {
    }

    /**
     * What a benchmark measured.
     *
     * @param memory    device memory use (null for the CPU engine)
     * @param flops     each layer's FLOPs per image, as the engine computes them
     * @param profiling what profiling did, one line ("off" when none)
     * @param convolutions the cuDNN algorithms each convolution ran (empty for the CPU engine)
     * @param fp32Fallback the layers run in FP32 because cuDNN refused their 16-bit calls
     *                     ({@link Fp32Fallback#NONE} if none)
     */
    public record Result(String engine, boolean simulated, Precision precision, int batchSize, int inputSize, int warmup,
                         int steps, double trainStepMs, double inferenceBatchMs, double forwardGflopPerImage,
                         double trainGflopPerImage, List<LayerTime> layers, List<FlopCount.Layer> flops,
                         DeviceMemoryUse memory, String profiling, List<ConvChoice> convolutions,
                         Fp32Fallback fp32Fallback) {
        public double trainImagesPerSecond() {
            return batchSize * 1000.0 / trainStepMs;
        }

        public double inferenceImagesPerSecond() {
            return batchSize * 1000.0 / inferenceBatchMs;
        }

        /** Achieved GFLOP/s of training, with the step's FLOPs as {@link FlopCount} counts them (about 3x forward). */
        public double trainGflops() {
            return trainGflopPerImage * trainImagesPerSecond();
        }
    }

    /** The CUDA engine on a device: graph-replayed steps for the throughput, eager profiled steps per layer. */
    public static Result runCuda(Device device, NetworkSpec spec, Options o) {
        SplittableRandom rnd = new SplittableRandom(o.seed());
        int batch = o.batch();
        byte[] images = new byte[batch * Cifar10Dataset.IMAGE_BYTES];
        byte[] labels = new byte[batch];
        for (int i = 0; i < images.length; i++) {
            images[i] = (byte) rnd.nextInt(256);
        }
        for (int i = 0; i < batch; i++) {
            labels[i] = (byte) rnd.nextInt(spec.outputShape(1).c());
        }
        Cifar10Dataset data = new Cifar10Dataset(images, labels);
        ParameterStore store = spec.newParameterStore();
        XavierInit.initialize(spec, store, o.seed());
        DeviceMemoryUse.Watch memory = new DeviceMemoryUse.Watch(device.memory());
        EngineConfig config = new EngineConfig(1e-3f, 0f, o.seed(), false, false, o.precision());
        try (CudaEngine e = new CudaEngine(device, config, spec, store, data, data, batch,
                MemoryEstimate.DEFAULT_WORKSPACE, o.graphs())) {
            int[] order = null;
            e.profile(o.nvtx(), null);
            e.timeTrainSteps(order, batch, Math.max(o.warmup(), CudaEngine.STEPS_BEFORE_REPLAY));
            memory.sample();
            String profiling = o.nvtx() || o.profileSteps() != null ? null : "off";
            if (o.profileSteps() != null) {
                e.profile(o.nvtx(), o.profileSteps());
                e.timeTrainSteps(order, batch, o.profileSteps().last());
                profiling = e.profiling();
                e.profile(o.nvtx(), null);
            }
            double stepMs = e.timeTrainSteps(order, batch, o.steps());
            memory.sample();
            e.timeEvalBatches(batch, Math.max(o.warmup(), CudaEngine.STEPS_BEFORE_REPLAY));
            double inferMs = e.timeEvalBatches(batch, o.steps());
            memory.sample();
            double[][] perLayer = e.profileLayers(order, batch, o.steps());
            if (profiling == null) {
                profiling = e.profiling();
            }
            List<LayerTime> times = new ArrayList<>();
            for (int i = 0; i < spec.layers().size(); i++) {
                times.add(new LayerTime(spec.layers().get(i).name(), spec.layers().get(i).type(), perLayer[0][i], perLayer[1][i]));
            }
            return new Result(e.description(), device.name().equals("simulator"), o.precision(), batch, spec.inputSize(),
                    o.warmup(), o.steps(), stepMs, inferMs, spec.forwardFlopsPerSample() / 1e9,
                    FlopCount.trainPerImage(spec) / 1e9, times, FlopCount.perLayer(spec), memory.result(e.poolBytes()),
                    profiling, e.convolutionChoices(), e.fp32Fallback());
        }
    }

    /** The CPU reference engine on a random batch in memory. */
    public static Result runCpu(NetworkSpec spec, int batch, int warmup, int steps, long seed) {
        ParameterStore store = spec.newParameterStore();
        XavierInit.initialize(spec, store, seed);
        CpuNetwork net = new CpuNetwork(spec, store, seed);
        Adam adam = new Adam();
        SplittableRandom rnd = new SplittableRandom(seed);
        Tensor x = net.input(batch);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (float) rnd.nextGaussian();
        }
        int classes = spec.outputShape(1).c();
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rnd.nextInt(classes);
        }
        int nLayers = net.layers().size();
        long[] fwd = new long[nLayers];
        long[] bwd = new long[nLayers];
        for (int s = 0; s < warmup; s++) {
            trainStep(net, adam, store, labels, null, null);
        }
        // Per-layer times and the whole step (loss and Adam included) from the same measured steps.
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            trainStep(net, adam, store, labels, fwd, bwd);
        }
        double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
        for (int s = 0; s < warmup; s++) {
            net.forward(Pass.EVAL);
        }
        long t1 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            net.forward(Pass.EVAL);
        }
        double inferMs = (System.nanoTime() - t1) / 1e6 / steps;
        List<LayerTime> times = new ArrayList<>();
        for (int i = 0; i < nLayers; i++) {
            times.add(new LayerTime(spec.layers().get(i).name(), spec.layers().get(i).type(), fwd[i] / 1e6 / steps,
                    bwd[i] / 1e6 / steps));
        }
        return new Result("cpu", false, Precision.FP32, batch, spec.inputSize(), warmup, steps, stepMs, inferMs,
                spec.forwardFlopsPerSample() / 1e9, FlopCount.trainPerImage(spec) / 1e9, times,
                FlopCount.perLayer(spec), null, "off", List.of(), Fp32Fallback.NONE);
    }

    private static void trainStep(CpuNetwork net, Adam adam, ParameterStore store, int[] labels, long[] fwd, long[] bwd) {
        Pass pass = Pass.train(adam.stepCount());
        Tensor logits = net.forward(pass, fwd);
        SoftmaxCrossEntropy.compute(logits, labels, net.logitsGradient());
        store.zeroGrads();
        net.backward(pass, bwd);
        adam.step(store);
    }
}
