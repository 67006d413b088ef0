package org.alexnetcuda.cli;

import java.io.PrintStream;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import org.alexnetcuda.device.jcuda.JCudaDevice;
import org.alexnetcuda.device.ConvAlgorithmNames;
import org.alexnetcuda.device.Dnn.AlgoPerf;
import org.alexnetcuda.engine.cuda.ConvChoice;
import org.alexnetcuda.engine.cuda.Fp32Fallback;
import org.alexnetcuda.engine.cuda.MemoryEstimate;
import org.alexnetcuda.train.Benchmark;
import org.alexnetcuda.train.DeviceMemoryUse;
import org.alexnetcuda.train.FlopFloor;

/**
 * bench's output: the table for people and the JSON object for scripts. The JSON's fields are documented in the
 * manual (docs/performance.md) and only ever added to: bench/side-by-side.sh and older reports read them. Every field is
 * always present; those that do not apply (memory and library versions on the CPU engine) are null.
 */
final class BenchReport {
    /** Library versions of a real GPU run, as "13.1.0"; null on the simulator and the CPU. */
    record Versions(String driverCuda, String cublas, String cudnn) {
        static Versions of(JCudaDevice d) {
            int drv = d.driverCudaVersion();
            int blas = d.cublasVersion();
            long dnn = d.cudnnVersion();
            long dnnMajor = dnn >= 90000 ? 10000 : 1000; // cuDNN 9 counts major * 10000, cuDNN 8 major * 1000
            return new Versions(drv / 1000 + "." + drv % 1000 / 10,
                    blas / 10000 + "." + blas % 10000 / 100 + "." + blas % 100,
                    dnn / dnnMajor + "." + dnn % dnnMajor / 100 + "." + dnn % 100);
        }
    }

    private final Benchmark.Result r;
    private final FlopFloor floor;
    private final String peakSource;
    private final String deviceName;
    private final Versions versions;
    private final boolean graphs;
    private final String profileSteps;

    BenchReport(Benchmark.Result r, FlopFloor floor, String peakSource, String deviceName, Versions versions,
                boolean graphs, String profileSteps) {
        this.r = r;
        this.floor = floor;
        this.peakSource = peakSource;
        this.deviceName = deviceName;
        this.versions = versions;
        this.graphs = graphs;
        this.profileSteps = profileSteps;
    }

    void print(PrintStream out) {
        out.printf("engine %s, %s, batch %d, input %dx%d, %d warm-up and %d measured steps%s%n", r.engine(),
                r.precision(), r.batchSize(), r.inputSize(), r.inputSize(), r.warmup(), r.steps(),
                r.simulated() ? " (SIMULATED: host times of the CPU simulator, not GPU times)" : "");
        out.printf("%-10s %-18s %12s %12s %12s %12s%n", "layer", "type", "forward ms", "backward ms", "fwd floor",
                "bwd floor");
        double f = 0;
        double b = 0;
        for (int i = 0; i < r.layers().size(); i++) {
            Benchmark.LayerTime t = r.layers().get(i);
            FlopFloor.Layer l = floor.layers().get(i);
            out.printf("%-10s %-18s %12.3f %12.3f %12.3f %12.3f%n", t.name(), t.type(), t.forwardMs(), t.backwardMs(),
                    l.forwardFloorMs(), l.backwardFloorMs());
            f += t.forwardMs();
            b += t.backwardMs();
        }
        out.printf("%-10s %-18s %12.3f %12.3f%n", "layers", "", f, b);
        out.printf("training:  %.2f ms per step, %.1f images/s, %.2f TFLOP/s (%.1f%% of %.0f, %s)%n", r.trainStepMs(),
                r.trainImagesPerSecond(), floor.trainTflops(), 100 * floor.trainFractionOfPeak(), floor.peakTflops(),
                peakSource);
        out.printf("           a step counts %.2f GFLOP per image (forward %.2f; backward twice forward but conv1's "
                + "input gradient): its floor is %.2f ms%n", r.trainGflopPerImage(), r.forwardGflopPerImage(),
                floor.trainFloorMs());
        out.printf("inference: %.2f ms per batch, %.1f images/s, %.2f TFLOP/s%n", r.inferenceBatchMs(),
                r.inferenceImagesPerSecond(), floor.inferenceTflops());
        FlopFloor.Gap g = floor.largestGap();
        if (g != null) {
            out.printf("largest gap to the FLOP floor: %s %s, %.3f ms measured, %.3f ms floor (%.3f ms above)%n",
                    g.layer(), g.pass(), g.measuredMs(), g.floorMs(), g.gapMs());
        }
        for (ConvChoice c : r.convolutions()) {
            out.printf("%-10s cuDNN forward %s, backward data %s, backward filter %s; workspace %s; math %s (timed "
                    + "in %s / %s / %s)%s%n", c.layer(), c.forwardName(), c.backwardDataName(), c.backwardFilterName(),
                    MemoryEstimate.mib(c.workspaceBytes()), c.descriptorMathName(),
                    ConvAlgorithmNames.mathType(c.forward().timedMath()),
                    c.backwardData().runs() ? ConvAlgorithmNames.mathType(c.backwardData().timedMath()) : "-",
                    ConvAlgorithmNames.mathType(c.backwardFilter().timedMath()),
                    c.mathMismatches().isEmpty() ? ""
                            : "; NOT WHAT WAS TIMED: " + String.join(", ", c.mathMismatches()));
        }
        DeviceMemoryUse m = r.memory();
        if (m != null) {
            out.printf("device memory: pool %s; engine peak %s (pool and the libraries' own); device in use at the "
                    + "peak %s of %s%n", MemoryEstimate.mib(m.poolBytes()), MemoryEstimate.mib(m.enginePeakBytes()),
                    MemoryEstimate.mib(m.deviceUsedPeakBytes()), MemoryEstimate.mib(m.totalBytes()));
        }
        if (!r.fp32Fallback().isEmpty()) {
            out.println("cuDNN fallback: " + r.fp32Fallback().describe());
        }
        if (!r.profiling().equals("off")) {
            out.println("profiling: " + r.profiling());
        }
    }

    String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("program", "alexnet-cuda");
        o.addProperty("engine", r.engine());
        o.addProperty("device_name", deviceName);
        o.addProperty("simulated", r.simulated());
        o.addProperty("batch_size", r.batchSize());
        o.addProperty("input_size", r.inputSize());
        o.addProperty("precision", r.precision().option());
        o.addProperty("graphs", graphs);
        o.addProperty("warmup", r.warmup());
        o.addProperty("steps", r.steps());
        o.addProperty("train_step_ms", r.trainStepMs());
        o.addProperty("train_images_per_second", r.trainImagesPerSecond());
        o.addProperty("inference_batch_ms", r.inferenceBatchMs());
        o.addProperty("inference_images_per_second", r.inferenceImagesPerSecond());
        o.addProperty("train_gflops", r.trainGflops());
        o.addProperty("forward_gflop_per_image", r.forwardGflopPerImage());
        o.addProperty("train_gflop_per_image", r.trainGflopPerImage());
        o.addProperty("train_tflops", floor.trainTflops());
        o.addProperty("inference_tflops", floor.inferenceTflops());
        o.addProperty("peak_tflops", floor.peakTflops());
        o.addProperty("peak_tflops_source", peakSource);
        o.addProperty("train_fraction_of_peak", floor.trainFractionOfPeak());
        o.addProperty("train_floor_ms", floor.trainFloorMs());
        o.add("memory", memory());
        o.add("versions", versions());
        o.addProperty("profiling", r.profiling());
        if (profileSteps == null) {
            o.add("profile_steps", JsonNull.INSTANCE);
        } else {
            o.addProperty("profile_steps", profileSteps);
        }
        JsonArray layers = new JsonArray();
        for (int i = 0; i < r.layers().size(); i++) {
            Benchmark.LayerTime t = r.layers().get(i);
            FlopFloor.Layer f = floor.layers().get(i);
            JsonObject l = new JsonObject();
            l.addProperty("name", t.name());
            l.addProperty("type", t.type());
            l.addProperty("forward_ms", t.forwardMs());
            l.addProperty("backward_ms", t.backwardMs());
            l.addProperty("forward_gflop", f.forwardGflop());
            l.addProperty("backward_gflop", f.backwardGflop());
            l.addProperty("forward_floor_ms", f.forwardFloorMs());
            l.addProperty("backward_floor_ms", f.backwardFloorMs());
            l.addProperty("forward_gap_ms", f.forwardGapMs());
            l.addProperty("backward_gap_ms", f.backwardGapMs());
            layers.add(l);
        }
        o.add("layers", layers);
        JsonObject convs = new JsonObject();
        for (ConvChoice c : r.convolutions()) {
            JsonObject a = new JsonObject();
            a.addProperty("forward", c.forwardName());
            if (!c.backwardData().runs()) {
                a.add("backward_data", JsonNull.INSTANCE);  // the first layer has no input gradient
            } else {
                a.addProperty("backward_data", c.backwardDataName());
            }
            a.addProperty("backward_filter", c.backwardFilterName());
            a.addProperty("descriptor_math", c.descriptorMathName());
            a.add("timed_math", timedMath(c));
            JsonArray mismatches = new JsonArray();
            c.mathMismatches().forEach(mismatches::add);
            a.add("math_mismatches", mismatches);
            a.addProperty("workspace_bytes", c.workspaceBytes());
            convs.add(c.layer(), a);
        }
        o.add("conv_algorithms", convs);
        // Layers run in FP32 because cuDNN refused a 16-bit call of theirs: layer -> the call, its status, the type.
        JsonObject fallback = new JsonObject();
        for (Fp32Fallback.Refusal f : r.fp32Fallback().refusals()) {
            JsonObject a = new JsonObject();
            a.addProperty("call", f.call());
            a.addProperty("status", f.status());
            a.addProperty("data_type", f.dataType());
            fallback.add(f.layer(), a);
        }
        o.add("cudnn_fp32_fallback", fallback);
        FlopFloor.Gap g = floor.largestGap();
        if (g == null) {
            o.add("largest_gap", JsonNull.INSTANCE);
        } else {
            JsonObject lg = new JsonObject();
            lg.addProperty("layer", g.layer());
            lg.addProperty("pass", g.pass());
            lg.addProperty("measured_ms", g.measuredMs());
            lg.addProperty("floor_ms", g.floorMs());
            lg.addProperty("gap_ms", g.gapMs());
            o.add("largest_gap", lg);
        }
        return new GsonBuilder().serializeNulls().create().toJson(o);
    }

    private com.google.gson.JsonElement memory() {
        DeviceMemoryUse m = r.memory();
        if (m == null) {
            return JsonNull.INSTANCE;
        }
        JsonObject o = new JsonObject();
        o.addProperty("total_bytes", m.totalBytes());
        o.addProperty("free_before_bytes", m.freeBeforeBytes());
        o.addProperty("pool_bytes", m.poolBytes());
        o.addProperty("engine_peak_bytes", m.enginePeakBytes());
        o.addProperty("device_used_peak_bytes", m.deviceUsedPeakBytes());
        return o;
    }

    private com.google.gson.JsonElement versions() {
        if (versions == null) {
            return JsonNull.INSTANCE;
        }
        JsonObject o = new JsonObject();
        o.addProperty("driver_cuda", versions.driverCuda());
        o.addProperty("cublas", versions.cublas());
        o.addProperty("cudnn", versions.cudnn());
        return o;
    }

    /** Per pass, the math type cuDNN timed the chosen algorithm in; null where unreported or the pass never runs. */
    private static JsonObject timedMath(ConvChoice c) {
        JsonObject m = new JsonObject();
        String[] names = {"forward", "backward_data", "backward_filter"};
        ConvChoice.Pass[] passes = {c.forward(), c.backwardData(), c.backwardFilter()};
        for (int i = 0; i < names.length; i++) {
            ConvChoice.Pass p = passes[i];
            if (p.runs() && p.timedMath() != AlgoPerf.MATH_NOT_REPORTED) {
                m.addProperty(names[i], ConvAlgorithmNames.mathType(p.timedMath()));
            } else {
                m.add(names[i], JsonNull.INSTANCE);
            }
        }
        return m;
    }
}
