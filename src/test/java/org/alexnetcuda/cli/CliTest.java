package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.alexnetcuda.kernels.PtxSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: output, one-line errors and exit codes. */
class CliTest {
    @TempDir
    Path dir;

    /** What a command printed and returned. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void assertOneLineError(Run r, int code, String fragment) {
        assertEquals(code, r.code(), () -> "exit code; stderr: " + r.err() + " stdout: " + r.out());
        assertTrue(r.err().contains(fragment), () -> "stderr lacks '" + fragment + "': " + r.err());
        assertFalse(r.err().contains("\tat "), () -> "stack trace on stderr: " + r.err());
    }

    @Test
    void summaryPrintsTheNotebookTableCorrected() {
        Run r = run("summary");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("34,944"), r.out());
        assertTrue(r.out().contains("(64,96,55,55)"), r.out());
        assertTrue(r.out().contains("58,322,314"), r.out());
        assertTrue(r.out().contains("(64,256,6,6)"), r.out());
        assertTrue(r.out().contains("Device memory for a training step at batch 64 in fp32"), r.out());
        Run plan = run("summary", "--plan");
        assertTrue(plan.out().contains("cudnn workspace"), plan.out());
        assertTrue(plan.out().contains("adam m"), plan.out());
    }

    @Test
    void tooSmallInputNamesTheSmallestValidSize() {
        assertOneLineError(run("summary", "--input-size", "50"), ExitCodes.USAGE, "smallest valid input size is 65");
    }

    @Test
    void impossibleOptionsAreUsageErrors() {
        assertOneLineError(run("summary", "--lrn", "conv7"), ExitCodes.USAGE, "--lrn must be one of");
        assertOneLineError(run("summary", "--dropout", "1.5"), ExitCodes.USAGE, "--dropout");
        assertOneLineError(run("summary", "--batch-size", "0"), ExitCodes.USAGE, "--batch-size");
        assertOneLineError(run("train", "--device", "cpu", "--epochs", "0"), ExitCodes.USAGE, "--epochs");
        assertOneLineError(run("train", "--no-such-option"), ExitCodes.USAGE, "Unknown option");
        assertOneLineError(run("train", "--device", "tpu"), ExitCodes.USAGE, "--device");
        assertOneLineError(run(), ExitCodes.USAGE, "a command is required");
    }

    @Test
    void missingDatasetIsOneLineExitTwo() {
        Run r = run("train", "--device", "cpu", "--data-dir", dir.resolve("nowhere").toString());
        assertOneLineError(r, ExitCodes.USAGE, "nowhere");
    }

    @Test
    void missingWeightsFileIsOneLineExitTwo() {
        assertOneLineError(run("eval", "--device", "cpu", "--weights", dir.resolve("none.safetensors").toString()),
                ExitCodes.USAGE, "none.safetensors");
    }

    @Test
    void noGpuHereMeansExitThreeWithAHint() {
        Run r = run("train", "--data-dir", dir.toString());
        assertOneLineError(r, ExitCodes.NO_GPU, "--device cpu");
        Run d = run("device");
        assertEquals(ExitCodes.NO_GPU, d.code(), d.err());
        assertTrue(d.out().contains("no usable GPU"), d.out());
    }

    @Test
    void benchReportsEveryLayerAsJson() {
        Run r = run("bench", "--device", "cpu", "--input-size", "67", "--batch-size", "8", "--warmup", "0", "--steps", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out().strip()).getAsJsonObject();
        assertEquals(22, o.getAsJsonArray("layers").size(), "every layer of the notebook network with LRN after conv2");
        assertTrue(o.get("train_images_per_second").getAsDouble() > 0);
        assertTrue(o.get("inference_images_per_second").getAsDouble() > 0);
        assertEquals(0, run("bench", "--device", "cpu", "--input-size", "67", "--batch-size", "4", "--warmup", "0",
                "--steps", "1").code());
        // The CUDA engine on the simulator: the same report, marked simulated.
        Run sim = run("bench", "--device", "sim", "--input-size", "67", "--batch-size", "4", "--warmup", "0", "--steps", "1", "--json");
        assertEquals(0, sim.code(), sim.err());
        JsonObject s = JsonParser.parseString(sim.out().strip()).getAsJsonObject();
        assertTrue(s.get("simulated").getAsBoolean());
        assertEquals(22, s.getAsJsonArray("layers").size());
    }

    @Test
    void precisionErrorsAreOneLineExitTwo() {
        assertOneLineError(run("bench", "--device", "cpu", "--precision", "tf32", "--input-size", "67"), ExitCodes.USAGE,
                "error: --precision tf32: the CPU engine computes in fp32 only");
        assertOneLineError(run("train", "--device", "cpu", "--precision", "tf32", "--data-dir", dir.toString()),
                ExitCodes.USAGE, "the CPU engine computes in fp32 only");
        assertOneLineError(run("eval", "--device", "cpu", "--precision", "tf32", "--weights", "none.safetensors"),
                ExitCodes.USAGE, "the CPU engine computes in fp32 only");
        assertOneLineError(run("train", "--device", "cpu", "--precision", "bf16", "--data-dir", dir.toString()),
                ExitCodes.USAGE, "--precision bf16: the CPU engine computes in fp32 only");
        assertOneLineError(run("bench", "--device", "cpu", "--precision", "fp16", "--input-size", "67"),
                ExitCodes.USAGE, "--precision fp16: the CPU engine computes in fp32 only");
        assertOneLineError(run("bench", "--device", "sim", "--precision", "double"), ExitCodes.USAGE,
                "--precision must be fp32, tf32, fp16 or bf16 (got 'double')");
        // The simulator takes tf32 (it records the math modes and computes in FP32) and says which it ran.
        Run sim = run("bench", "--device", "sim", "--precision", "tf32", "--input-size", "67", "--batch-size", "2",
                "--warmup", "0", "--steps", "1", "--widths", "4,8,8,8,8,16", "--json");
        assertEquals(0, sim.code(), sim.err());
        assertEquals("tf32", JsonParser.parseString(sim.out().strip()).getAsJsonObject().get("precision").getAsString());
    }

    /** The fields scripts read (bench/side-by-side.sh, the README's list): all present, also where null. */
    @Test
    void benchJsonHasEveryDocumentedField() {
        Run sim = run("bench", "--device", "sim", "--input-size", "67", "--batch-size", "2", "--warmup", "0",
                "--steps", "1", "--widths", "4,8,8,8,8,16", "--json", "--profile-steps", "1:2");
        assertEquals(0, sim.code(), sim.err());
        JsonObject o = JsonParser.parseString(sim.out().strip()).getAsJsonObject();
        for (String k : new String[] {"program", "engine", "device_name", "simulated", "batch_size", "input_size",
                "precision", "graphs", "warmup", "steps", "train_step_ms", "train_images_per_second",
                "inference_batch_ms", "inference_images_per_second", "train_gflops", "forward_gflop_per_image",
                "train_gflop_per_image", "train_tflops", "inference_tflops", "peak_tflops", "peak_tflops_source",
                "train_fraction_of_peak", "train_floor_ms", "memory", "versions", "profiling", "profile_steps",
                "layers", "largest_gap", "conv_algorithms"}) {
            assertTrue(o.has(k), () -> "missing " + k + " in " + o);
        }
        assertEquals(67.0, o.get("peak_tflops").getAsDouble(), "the H100's FP32 peak by default");
        assertEquals("1:2", o.get("profile_steps").getAsString());
        assertTrue(o.get("profiling").getAsString().contains("steps 1:2 profiled"), o.get("profiling").toString());
        JsonObject mem = o.getAsJsonObject("memory");
        assertTrue(mem.get("pool_bytes").getAsLong() > 0);
        // Beside the pool, the simulator charges only the loaded kernel modules' code (each its PTX's size).
        long beyondPool = mem.get("engine_peak_bytes").getAsLong() - mem.get("pool_bytes").getAsLong();
        long allModules = 0;
        for (String module : new String[] {"activation", "data", "dropout", "linear", "loss", "optimizer", "precision"}) {
            allModules += PtxSource.read(module).length() + 256;  // rounded up to the simulator's alignment
        }
        assertTrue(beyondPool > 0 && beyondPool <= allModules, "module code beside the pool: " + beyondPool);
        assertTrue(o.get("versions").isJsonNull(), "no library versions on the simulator");
        JsonObject conv2 = o.getAsJsonObject("conv_algorithms").getAsJsonObject("conv2");
        assertEquals("FMA_MATH", conv2.get("descriptor_math").getAsString(), conv2.toString());
        assertEquals("FMA_MATH", conv2.getAsJsonObject("timed_math").get("backward_filter").getAsString());
        assertEquals(0, conv2.getAsJsonArray("math_mismatches").size());
        assertTrue(o.getAsJsonObject("conv_algorithms").getAsJsonObject("conv1").get("backward_data").isJsonNull());
        // A step is forward plus twice forward for every weighted layer but the first, whose input gradient is
        // not computed: 3x forward less conv1's forward.
        double fwd = o.get("forward_gflop_per_image").getAsDouble();
        double train = o.get("train_gflop_per_image").getAsDouble();
        JsonObject conv1 = o.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertEquals(conv1.get("forward_gflop").getAsDouble(), conv1.get("backward_gflop").getAsDouble(), 1e-12,
                "conv1 computes no input gradient");
        assertEquals(3 * fwd - conv1.get("forward_gflop").getAsDouble() / 2, train, 1e-12, "per image, batch 2");
        JsonObject algos = o.getAsJsonObject("conv_algorithms");
        assertEquals(5, algos.size(), algos::toString);
        assertEquals("IMPLICIT_PRECOMP_GEMM", algos.getAsJsonObject("conv1").get("forward").getAsString(),
                "the simulator's fastest forward algorithm, by its cuDNN name");
        JsonObject gap = o.getAsJsonObject("largest_gap");
        assertEquals(gap.get("measured_ms").getAsDouble() - gap.get("floor_ms").getAsDouble(),
                gap.get("gap_ms").getAsDouble(), 1e-9);

        Run cpu = run("bench", "--device", "cpu", "--input-size", "67", "--batch-size", "2", "--warmup", "0", "--steps",
                "1", "--widths", "4,8,8,8,8,16", "--json", "--peak-tflops", "2.5");
        assertEquals(0, cpu.code(), cpu.err());
        JsonObject c = JsonParser.parseString(cpu.out().strip()).getAsJsonObject();
        assertTrue(c.get("memory").isJsonNull());
        assertEquals(2.5, c.get("peak_tflops").getAsDouble());
        assertEquals("--peak-tflops", c.get("peak_tflops_source").getAsString());
        assertEquals("off", c.get("profiling").getAsString());
        assertEquals(0, c.getAsJsonObject("conv_algorithms").size());
    }

    @Test
    void profilingOptionsAreCheckedFirst() {
        assertOneLineError(run("train", "--device", "cpu", "--nvtx", "--data-dir", dir.toString()), ExitCodes.USAGE,
                "--nvtx and --profile-steps need the CUDA engine");
        assertOneLineError(run("bench", "--device", "cpu", "--profile-steps", "3"), ExitCodes.USAGE,
                "--nvtx and --profile-steps need the CUDA engine");
        assertOneLineError(run("bench", "--device", "sim", "--profile-steps", "4:2"), ExitCodes.USAGE,
                "--profile-steps must be A:B with 1 <= A <= B");
        assertOneLineError(run("train", "--device", "sim", "--profile-steps", "x"), ExitCodes.USAGE,
                "--profile-steps must be A:B");
        assertOneLineError(run("bench", "--device", "sim", "--peak-tflops", "0"), ExitCodes.USAGE,
                "--peak-tflops must be a positive number");
    }

    @Test
    void helpAndVersion() {
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("alexnet-cuda "), v.out());
        for (String cmd : new String[] {"train", "eval", "summary", "bench", "synth", "device"}) {
            Run h = run(cmd, "--help");
            assertEquals(0, h.code(), cmd);
            assertTrue(h.out().contains("Usage: alexnet-cuda " + cmd), h.out());
        }
        assertTrue(run("--help").out().contains("130"), "exit codes listed in --help");
    }

    @Test
    void synthThenTrainThenEvalOnTheCpu() throws Exception {
        Path data = dir.resolve("synth");
        assertEquals(0, run("synth", "--out", data.toString(), "--train", "96", "--test", "40", "--seed", "3").code());
        Path weights = dir.resolve("w.safetensors");
        Run t = run("train", "--device", "cpu", "--data-dir", data.toString(), "--input-size", "67", "--epochs", "1",
                "--batch-size", "32", "--json", "--save-weights", weights.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.err().contains("Epoch 1/1: Train Loss="), t.err());
        JsonObject json = JsonParser.parseString(t.out().strip()).getAsJsonObject();
        JsonArray epochs = json.getAsJsonArray("epochs");
        assertEquals(1, epochs.size());
        double loss = epochs.get(0).getAsJsonObject().get("train_loss").getAsDouble();
        assertTrue(loss > 0 && Double.isFinite(loss), "train loss " + loss);
        assertTrue(Files.size(weights) > 4 * 1000, "weights written");

        Run e = run("eval", "--device", "cpu", "--data-dir", data.toString(), "--input-size", "67",
                "--weights", weights.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        JsonObject ev = JsonParser.parseString(e.out().strip()).getAsJsonObject();
        assertEquals(10, ev.getAsJsonArray("per_class_accuracy").size());
        assertEquals(10, ev.getAsJsonArray("confusion").size());
        double acc = ev.get("accuracy").getAsDouble();
        assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);

        // The same weights at another input size do not fit fc6: one line, exit 2.
        assertOneLineError(run("eval", "--device", "cpu", "--data-dir", data.toString(), "--input-size", "99",
                "--weights", weights.toString()), ExitCodes.USAGE, "net.14.weight");
    }
}
