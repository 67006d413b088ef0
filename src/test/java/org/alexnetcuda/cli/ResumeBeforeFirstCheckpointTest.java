package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.alexnetcuda.train.CheckpointFiles;
import org.alexnetcuda.train.CheckpointStore;
import org.alexnetcuda.train.RunConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder holding only its configuration, as a run stopped before its first checkpoint leaves it (config.json
 * copied alone into a new folder reproduces that state): --resume starts the run again with every recorded option.
 */
class ResumeBeforeFirstCheckpointTest {
    @TempDir
    Path tmp;

    /** A copy of the run's folder as it was before its first checkpoint. */
    private Path stoppedEarly(Path run, String name) throws IOException {
        Path copy = Files.createDirectories(tmp.resolve(name));
        Files.copy(run.resolve(RunConfigFile.FILE), copy.resolve(RunConfigFile.FILE));
        return copy;
    }

    @Test
    void aRunStartedFromWeightsStartsAgainFromTheSameWeightsWithItsOptions() throws IOException {
        Path weights = tmp.resolve("start.safetensors");
        CliTest.Run w = CliTest.run(RunCliTest.train("--epochs", "1", "--run-dir", tmp.resolve("w").toString(),
                "--save-weights", weights.toString()));
        assertEquals(0, w.code(), w.err());
        Path run = tmp.resolve("run");
        // Options that differ from the defaults, so that a restart with the defaults could not pass for this run.
        CliTest.Run t = CliTest.run(RunCliTest.train("--epochs", "2", "--run-dir", run.toString(), "--init-from",
                weights.toString(), "--seed", "7", "--lr", "0.002", "--no-shuffle", "--keep", "1"));
        assertEquals(0, t.code(), t.err());

        Path early = stoppedEarly(run, "early");
        CliTest.Run r = CliTest.run("train", "--resume", early.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resuming " + early + ": no checkpoint yet, so the run starts from the beginning "
                + "with the options recorded in " + early.resolve(RunConfigFile.FILE)), r.out());
        InterruptionTest.assertSameRun(run, early);
        assertEquals(1, new CheckpointStore(early).list().size(), "--keep 1 came from the configuration");

        // A checkpoint and a configuration: the checkpoint wins (it records what later sessions changed).
        CliTest.Run more = CliTest.run("train", "--resume", early.toString(), "--epochs", "3");
        assertEquals(0, more.code(), more.err());
        assertTrue(more.out().contains("resumed from") && more.out().contains(early.resolve(CheckpointStore.DIR).toString()),
                more.out());
        assertFalse(more.out().contains("no checkpoint yet"), more.out());
    }

    @Test
    void optionsGivenWithTheResumeApplyAndAreRecorded() throws IOException {
        Path run = tmp.resolve("run");
        CliTest.Run t = CliTest.run(RunCliTest.train("--epochs", "2", "--run-dir", run.toString()));
        assertEquals(0, t.code(), t.err());
        Path early = stoppedEarly(run, "early");
        CliTest.Run fixed = CliTest.run("train", "--resume", early.toString(), "--seed", "7");
        assertEquals(ExitCodes.USAGE, fixed.code());
        assertTrue(fixed.err().contains("--seed 7 differs"), fixed.err());

        CliTest.Run r = CliTest.run("train", "--resume", early.toString(), "--epochs", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Epoch 1/1: Train Loss="), r.out());
        assertEquals(1, RunConfigFile.read(early).config().training().epochs(), "config.json records the changed total");
        // Epoch, train loss, test loss, accuracy (not the timings): its first epoch is the uninterrupted run's first.
        assertEquals(losses(run).subList(0, 2), losses(early));
    }

    private static java.util.List<String> losses(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.csv")).stream()
                .map(l -> String.join(",", java.util.Arrays.asList(l.split(",")).subList(0, 4))).toList();
    }

    @Test
    void aNewRunMayTakeTheFolderOfOneStoppedBeforeItsFirstCheckpoint() throws IOException {
        Path run = tmp.resolve("run");
        CliTest.Run t = CliTest.run(RunCliTest.train("--epochs", "1", "--run-dir", run.toString(), "--seed", "7"));
        assertEquals(0, t.code(), t.err());
        Path early = stoppedEarly(run, "early");
        CliTest.Run fresh = CliTest.run(RunCliTest.train("--epochs", "1", "--run-dir", early.toString()));
        assertEquals(0, fresh.code(), fresh.err());
        assertEquals(42, RunConfigFile.read(early).config().training().seed(), "the new run's configuration replaced it");
        assertEquals(42, CheckpointStore.load(early).checkpoint().state().config().training().seed());
        assertTrue(Files.exists(new CheckpointStore(early).latest().resolve(CheckpointFiles.MANIFEST)));
    }
}
