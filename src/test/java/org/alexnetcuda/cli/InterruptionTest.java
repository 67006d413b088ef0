package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

import org.alexnetcuda.model.Safetensors;
import org.alexnetcuda.train.CheckpointFiles;
import org.alexnetcuda.train.CheckpointStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training process as the operating system treats it: a child JVM running the built classes, stopped with
 * SIGTERM (Process.destroy), SIGINT (kill -INT), killed with SIGKILL at random moments and in the middle of saving,
 * and starved of disk. Each time the run is resumed, and it must end exactly as an uninterrupted run does.
 */
class InterruptionTest {
    /** All 1000 training images in batches of 16: 63 steps an epoch, a few seconds a run, so signals land mid-run. */
    private static final String[] RUN = {"train", "--device", "cpu", "--data-dir", RunCliTest.SYNTH, "--input-size", "67",
            "--widths", "4,8,8,8,8,16", "--limit-test", "64", "--batch-size", "16", "--epochs", "2"};
    private static final long TIMEOUT_S = 120;

    @TempDir
    static Path tmp;
    private static Path reference;
    private final SplittableRandom rng = new SplittableRandom();

    @BeforeAll
    static void uninterrupted() {
        reference = tmp.resolve("reference");
        CliTest.Run r = CliTest.run(RunCliTest.args(RUN, "--run-dir", reference.toString()));
        assertEquals(0, r.code(), r.err());
    }

    /** Starts the CLI in a new JVM, after prefix and with these JVM options; its stdout and stderr go to log. */
    static Process start(Path log, List<String> prefix, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:-UsePerfData"); // no hsperfdata file: the disk-full case limits every file the JVM writes
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static Process start(Path log, List<String> prefix, String... args) throws IOException {
        return start(log, prefix, List.of(), args);
    }

    static Process start(Path log, String... args) throws IOException {
        return start(log, List.of(), args);
    }

    /** Waits until the child has printed the line that follows the installation of its signal handlers. */
    static void awaitTrainingStarted(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (!Files.readString(log).contains("training started")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                fail("the child never started training:\n" + Files.readString(log));
            }
            Thread.sleep(10);
        }
    }

    static int exitCode(Process p, Path log) throws Exception {
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the child did not finish:\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    private static void assertSameAsReference(Path run) throws IOException {
        assertSameRun(reference, run);
    }

    /** The final checkpoints' weights and Adam moments, and every epoch's metrics, are those of the reference. */
    static void assertSameRun(Path reference, Path run) throws IOException {
        Path a = new CheckpointStore(reference).latest();
        Path b = new CheckpointStore(run).latest();
        assertEquals(a.getFileName(), b.getFileName());
        for (String f : List.of(CheckpointFiles.MODEL, CheckpointFiles.OPTIMIZER)) {
            Map<String, Safetensors.Entry> x = Safetensors.read(a.resolve(f));
            Map<String, Safetensors.Entry> y = Safetensors.read(b.resolve(f));
            assertEquals(x.keySet(), y.keySet());
            for (String k : x.keySet()) {
                assertArrayEquals(x.get(k).values(), y.get(k).values(), f + " " + k);
            }
        }
        JsonArray ma = metrics(reference);
        JsonArray mb = metrics(run);
        assertEquals(ma.size(), mb.size());
        for (int i = 0; i < ma.size(); i++) {
            for (String k : List.of("epoch", "train_loss", "test_loss", "test_accuracy")) {
                assertEquals(ma.get(i).getAsJsonObject().get(k).getAsDouble(), mb.get(i).getAsJsonObject().get(k).getAsDouble(),
                        0.0, "epoch " + (i + 1) + " " + k);
            }
        }
    }

    private static JsonArray metrics(Path run) throws IOException {
        return JsonParser.parseString(Files.readString(run.resolve("metrics.json"))).getAsJsonObject().getAsJsonArray("epochs");
    }

    /** Stops a training child with a signal; it must save, exit 130, and resume to the reference result. */
    private void stopAndResume(String name, String signal, StopAction stop) throws Exception {
        Path run = tmp.resolve(name);
        Path log = tmp.resolve(name + ".log");
        Process p = start(log, RunCliTest.args(RUN, "--run-dir", run.toString()));
        awaitTrainingStarted(p, log);
        Thread.sleep(rng.nextInt(50, 600));
        stop.send(p);
        int code = exitCode(p, log);
        String out = Files.readString(log);
        assertEquals(ExitCodes.INTERRUPTED, code, () -> "exit code (did it finish before the signal?):\n" + out);
        assertTrue(out.contains(signal + ": finishing the current step, then saving a checkpoint"), out);
        assertTrue(out.contains("checkpoint saved: " + run), out);
        Path saved = new CheckpointStore(run).latest();
        assertNotNull(saved, out);
        assertTrue(out.contains(saved.toString()), "the message names the checkpoint it saved:\n" + out);

        CliTest.Run r = CliTest.run("train", "--resume", run.toString());
        assertEquals(0, r.code(), r.err());
        assertSameAsReference(run);
    }

    interface StopAction {
        void send(Process p) throws Exception;
    }

    @Test
    void sigtermFinishesTheStepSavesAndExits130() throws Exception {
        stopAndResume("sigterm", "SIGTERM", Process::destroy); // Process.destroy is SIGTERM on Unix
    }

    @Test
    void sigintFinishesTheStepSavesAndExits130() throws Exception {
        Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored by this process (started in the background "
                + "without job control), so its children cannot receive it");
        stopAndResume("sigint", "SIGINT", p -> {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
        });
    }

    /** Whether this JVM inherited SIGINT as ignored (bit 1 of SigIgn in /proc/self/status); then children do too. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 2) != 0;
            }
        }
        return false;
    }

    @Test
    void killMinus9AtAnyMomentLeavesAResumableRun() throws Exception {
        Path run = tmp.resolve("kill9");
        Path checkpoints = run.resolve(CheckpointStore.DIR);
        int kills = 0;
        int duringSave = 0;
        for (int session = 0; session < 30; session++) {
            Path log = tmp.resolve("kill9-" + session + ".log");
            boolean resume = new CheckpointStore(run).latest() != null;
            Process p = resume ? start(log, "train", "--resume", run.toString())
                    : start(log, RunCliTest.args(RUN, "--run-dir", run.toString(), "--checkpoint-every", "3"));
            if (kills < 4) {
                // Half the kills aim at a save in progress (its temp folder exists), half at a random moment.
                if (kills % 2 == 0 && awaitSaveInProgress(p, checkpoints)) {
                    duringSave++;
                } else {
                    Thread.sleep(rng.nextInt(100, 1500));
                }
                if (p.isAlive()) {
                    p.destroyForcibly(); // SIGKILL
                    p.waitFor();
                    kills++;
                    Path latest = new CheckpointStore(run).latest();
                    if (latest != null) {
                        CheckpointStore.load(run); // complete and verified, whatever the moment of the kill
                    }
                    continue;
                }
            }
            int code = exitCode(p, log);
            assertEquals(0, code, () -> "the last session failed:\n" + read(log));
            break;
        }
        assertTrue(kills >= 3, "the run was killed " + kills + " times");
        // (Frequent checkpoints make saves a large share of the run's time, so random kills land in them too.)
        assertTrue(duringSave >= 1, "at least one kill landed while a checkpoint was being written");
        assertSameAsReference(run);
        try (Stream<Path> left = Files.list(checkpoints)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith(".")).toList(),
                    "the finished run cleared what the kills left");
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Polls until a checkpoint's temp folder exists (a save in progress); false if the child ends or 30 s pass. */
    private static boolean awaitSaveInProgress(Process p, Path checkpoints) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (Files.isDirectory(checkpoints)) {
                try (Stream<Path> s = Files.list(checkpoints)) {
                    if (s.anyMatch(f -> f.getFileName().toString().startsWith(".tmp-ckpt-"))) {
                        return true;
                    }
                } catch (IOException raced) {
                    // a folder vanished while being listed: the save just finished; keep polling
                }
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @Test
    void aFullDiskFailsWithOneLineAndLeavesTheRunAsItWas() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell for ulimit");
        Path run = tmp.resolve("diskfull");
        copyTree(reference, run);
        Path ckpt = new CheckpointStore(run).latest();
        long model = Files.size(ckpt.resolve(CheckpointFiles.MODEL));
        long optimizer = Files.size(ckpt.resolve(CheckpointFiles.OPTIMIZER));
        // Files may grow to between the weights' size and the optimizer's: the next checkpoint fails half-written.
        long limitKiB = (model + optimizer) / 2 / 1024;
        Map<String, String> before = BadInputTest.snapshotOf(run);
        Path log = tmp.resolve("diskfull.log");
        Process p = start(log, List.of("/bin/sh", "-c", "ulimit -f " + limitKiB + " && exec \"$0\" \"$@\""),
                "train", "--resume", run.toString(), "--epochs", "4");
        int code = exitCode(p, log);
        String out = Files.readString(log);
        assertEquals(ExitCodes.FAILURE, code, out);
        assertTrue(out.contains("error: cannot write checkpoint " + run.toAbsolutePath().resolve("checkpoints"))
                || out.contains("error: cannot write checkpoint " + run.resolve("checkpoints")), out);
        assertTrue(out.contains("File too large (earlier checkpoints are untouched)"), out);
        assertFalse(out.contains("\tat "), out);
        assertEquals(before, BadInputTest.snapshotOf(run), "the run folder is as it was");
        CheckpointStore.load(run);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
