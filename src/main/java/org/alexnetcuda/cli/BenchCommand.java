package org.alexnetcuda.cli;

import java.util.concurrent.Callable;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.train.Benchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "Measure steady-state training and inference speed and each layer's forward and backward time.",
        mixinStandardHelpOptions = true, sortOptions = false)
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Steps run before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "5", description = "Steps measured (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--device", paramLabel = "gpu|sim|cpu", defaultValue = "gpu",
            description = "Engine: gpu (CUDA), sim (the CUDA engine on the CPU simulator; times are simulated) or cpu "
                    + "(the reference engine) (default: ${DEFAULT-VALUE}).")
    DeviceChoice device;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--no-graph", description = "Time eager GPU steps instead of replayed CUDA graphs.")
    boolean noGraph;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        if (batchSize < 1 || warmup < 0 || steps < 1) {
            throw new IllegalArgumentException("--batch-size and --steps must be at least 1, --warmup at least 0");
        }
        org.alexnetcuda.engine.Precision p = PrecisionOption.check(precision.value(), device);
        NetworkSpec spec = model.network();
        Benchmark.Result r;
        Device dev = device.open();
        try {
            r = dev == null ? Benchmark.runCpu(spec, batchSize, warmup, steps, 1)
                    : Benchmark.runCuda(dev, spec, batchSize, warmup, steps, 1, !noGraph, p);
        } finally {
            if (dev != null) {
                dev.close();
            }
        }
        if (json) {
            System.out.println(toJson(r));
        } else {
            print(r);
        }
        return ExitCodes.OK;
    }

    private static void print(Benchmark.Result r) {
        System.out.printf("engine %s, batch %d, input %dx%d, %d warm-up and %d measured steps%s%n", r.engine(),
                r.batchSize(), r.inputSize(), r.inputSize(), r.warmup(), r.steps(),
                r.simulated() ? " (SIMULATED: host times of the CPU simulator, not GPU times)" : "");
        System.out.printf("%-10s %-18s %12s %12s%n", "layer", "type", "forward ms", "backward ms");
        double f = 0;
        double b = 0;
        for (Benchmark.LayerTime t : r.layers()) {
            System.out.printf("%-10s %-18s %12.2f %12.2f%n", t.name(), t.type(), t.forwardMs(), t.backwardMs());
            f += t.forwardMs();
            b += t.backwardMs();
        }
        System.out.printf("%-10s %-18s %12.2f %12.2f%n", "layers", "", f, b);
        System.out.printf("training:  %.1f ms per step, %.1f images/s, %.1f GFLOP/s%n", r.trainStepMs(),
                r.trainImagesPerSecond(), r.trainGflops());
        System.out.printf("inference: %.1f ms per batch, %.1f images/s%n", r.inferenceBatchMs(), r.inferenceImagesPerSecond());
    }

    static String toJson(Benchmark.Result r) {
        JsonObject o = new JsonObject();
        o.addProperty("program", "alexnet-cuda");
        o.addProperty("engine", r.engine());
        o.addProperty("simulated", r.simulated());
        o.addProperty("batch_size", r.batchSize());
        o.addProperty("input_size", r.inputSize());
        o.addProperty("precision", r.precision().option());
        o.addProperty("warmup", r.warmup());
        o.addProperty("steps", r.steps());
        o.addProperty("train_step_ms", r.trainStepMs());
        o.addProperty("train_images_per_second", r.trainImagesPerSecond());
        o.addProperty("inference_batch_ms", r.inferenceBatchMs());
        o.addProperty("inference_images_per_second", r.inferenceImagesPerSecond());
        o.addProperty("train_gflops", r.trainGflops());
        JsonArray layers = new JsonArray();
        for (Benchmark.LayerTime t : r.layers()) {
            JsonObject l = new JsonObject();
            l.addProperty("name", t.name());
            l.addProperty("type", t.type());
            l.addProperty("forward_ms", t.forwardMs());
            l.addProperty("backward_ms", t.backwardMs());
            layers.add(l);
        }
        o.add("layers", layers);
        return new GsonBuilder().create().toJson(o);
    }
}
