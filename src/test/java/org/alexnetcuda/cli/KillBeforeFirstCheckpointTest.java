package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.alexnetcuda.train.CheckpointStore;
import org.alexnetcuda.train.RunConfigFile;
import org.alexnetcuda.train.RunDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed (SIGKILL) at any moment from its first milliseconds on, before its first checkpoint included, is never
 * lost: its folder is either absent (nothing to resume: --resume says so and the command is given again) or holds its
 * whole configuration, and --resume then finishes it bit for bit as an uninterrupted run.
 */
class KillBeforeFirstCheckpointTest {
    /** A tiny CPU run (3 steps an epoch, 2 epochs): a child JVM takes 1 to 3 s, most of it starting up. */
    private static final String[] RUN = RunCliTest.train("--epochs", "2");
    /** Long enough to find the child paused every time, short enough not to slow a run that is not killed. */
    private static final long PAUSE_MS = 10_000;

    @TempDir
    static Path tmp;
    private static Path reference;
    /** How long a whole child run takes on this machine: random kills are drawn within it, so they hit a live run. */
    private static int childMillis;

    @BeforeAll
    static void uninterrupted() throws Exception {
        reference = tmp.resolve("reference");
        CliTest.Run r = CliTest.run(RunCliTest.args(RUN, "--run-dir", reference.toString()));
        assertEquals(0, r.code(), r.err());
        long start = System.nanoTime();
        Process child = InterruptionTest.start(tmp.resolve("timed.log"), List.of(), List.of(),
                RunCliTest.args(RUN, "--run-dir", tmp.resolve("timed").toString()));
        assertEquals(0, child.waitFor(), "an uninterrupted child run");
        childMillis = (int) ((System.nanoTime() - start) / 1_000_000);
    }

    /** When a kill is aimed. */
    enum Moment {
        /** 0 to 100 ms after the start: the JVM is still starting. */
        FIRST_100_MS,
        /** The new folder is assembled, its config.json written, not yet renamed into place (held open by the hook). */
        WRITING_CONFIGURATION,
        /** As soon as the run folder is seen: before the first checkpoint. */
        FOLDER_CREATED,
        /** From 100 ms to 90% of a whole child run: data loading, engine start, training, the checkpoints. */
        RANDOM,
        /** As soon as the first checkpoint is complete. */
        FIRST_CHECKPOINT
    }

    /** What a kill left. */
    enum Left { NOTHING, CONFIGURATION, CHECKPOINT }

    @Test
    void killedAtAnyMomentEveryRunCompletesAsIfUninterrupted() throws Exception {
        long seed = Long.getLong("killTest.seed", System.nanoTime());
        System.out.println("KillBeforeFirstCheckpointTest seed " + seed + " (repeat with -DkillTest.seed=" + seed
                + "); a whole child run takes " + childMillis + " ms here");
        SplittableRandom rng = new SplittableRandom(seed);
        List<Moment> plan = List.of(Moment.FIRST_100_MS, Moment.WRITING_CONFIGURATION, Moment.FOLDER_CREATED,
                Moment.RANDOM, Moment.FIRST_100_MS, Moment.RANDOM, Moment.WRITING_CONFIGURATION, Moment.RANDOM,
                Moment.FOLDER_CREATED, Moment.FIRST_100_MS, Moment.RANDOM, Moment.RANDOM, Moment.FIRST_CHECKPOINT);
        Map<Left, Integer> seen = new java.util.EnumMap<>(Left.class);
        int kills = 0;
        for (int i = 0; i < plan.size(); i++) {
            Moment moment = plan.get(i);
            Path runs = Files.createDirectories(tmp.resolve("runs-" + i));
            Path run = runs.resolve("run");
            Path log = tmp.resolve("kill-" + i + ".log");
            List<String> jvm = moment == Moment.WRITING_CONFIGURATION
                    ? List.of("-D" + RunDirectory.PAUSE_PROPERTY + "=" + PAUSE_MS) : List.of();
            String[] command = RunCliTest.args(RUN, "--run-dir", run.toString());
            Process p = InterruptionTest.start(log, List.of(), jvm, command);
            String aim = switch (moment) {
                case FIRST_100_MS -> sleep(rng.nextInt(0, 100));
                case RANDOM -> sleep(rng.nextInt(100, Math.max(101, childMillis * 9 / 10)));
                case WRITING_CONFIGURATION -> await(p, log, () -> creating(runs).stream()
                        .anyMatch(d -> Files.exists(d.resolve(RunConfigFile.FILE))), "config.json written, not renamed");
                case FOLDER_CREATED -> await(p, log, () -> Files.isDirectory(run), "the folder appeared");
                case FIRST_CHECKPOINT -> await(p, log, () -> new CheckpointStore(run).latest() != null, "a checkpoint saved");
            };
            boolean killed = p.isAlive();
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            kills += killed ? 1 : 0;

            Left left = inspect(run);
            seen.merge(left, 1, Integer::sum);
            System.out.printf("kill %2d: %-21s %-34s -> %s%s%n", i, moment, aim, left, killed ? "" : " (had finished)");
            if (moment == Moment.WRITING_CONFIGURATION) {
                assertEquals(Left.NOTHING, left, "killed before the rename, the folder does not exist yet");
                assertEquals(1, creating(runs).size(), "the half-made folder is hidden beside it");
            }
            resumeToTheEnd(run, left, command);
            InterruptionTest.assertSameRun(reference, run);
            assertEquals(List.of(), creating(runs), "the next start removed what the kill left half-made");
        }
        assertTrue(kills >= 10, "only " + kills + " children were still running when killed");
        assertTrue(seen.getOrDefault(Left.NOTHING, 0) >= 3, "kills before the folder existed: " + seen);
        assertTrue(seen.getOrDefault(Left.CONFIGURATION, 0) >= 1, "kills between the folder and a checkpoint: " + seen);
    }

    /**
     * The lock is the OS's: a live process holding the folder makes --resume refuse it (exit 2, the folder untouched);
     * once that process is killed, the .lock it leaves blocks nothing.
     */
    @Test
    void aLiveProcessHoldsTheFolderAndAKilledOneNoLonger() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("held"));
        // What a kill before the first checkpoint leaves: the configuration and nothing else.
        Files.copy(reference.resolve(RunConfigFile.FILE), run.resolve(RunConfigFile.FILE));
        Path log = tmp.resolve("held.log");
        Process p = InterruptionTest.start(log, List.of(), List.of("-D" + RunDirectory.PAUSE_PROPERTY + "=" + PAUSE_MS),
                "train", "--resume", run.toString());
        await(p, log, () -> Files.readString(log).contains("test pause: "), "the child holding the folder");
        Map<String, String> before = BadInputTest.snapshotOf(run);
        CliTest.Run refused = CliTest.run("train", "--resume", run.toString());
        assertEquals(ExitCodes.USAGE, refused.code(), refused.err());
        assertEquals("error: run folder " + run + " is in use by another training process", refused.err().strip());
        assertEquals(before, BadInputTest.snapshotOf(run), "the refused run changed nothing");

        p.destroyForcibly();
        p.waitFor();
        assertTrue(Files.exists(run.resolve(RunDirectory.LOCK)), "the killed process left its .lock");
        resumeToTheEnd(run, Left.CONFIGURATION, null);
        InterruptionTest.assertSameRun(reference, run);
    }

    /**
     * What a kill left in the run folder; fails on a folder that exists without a complete configuration, the state
     * this issue is about (a folder holding only .lock).
     */
    private static Left inspect(Path run) {
        if (!Files.exists(run)) {
            return Left.NOTHING;
        }
        assertTrue(Files.isRegularFile(run.resolve(RunConfigFile.FILE)), () -> "a run folder without its configuration: "
                + list(run));
        RunConfigFile.read(run); // complete and parseable
        return new CheckpointStore(run).latest() == null ? Left.CONFIGURATION : Left.CHECKPOINT;
    }

    /** --resume, as a user would type it after the kill; when nothing was left, the original command again. */
    private static void resumeToTheEnd(Path run, Left left, String[] command) {
        CliTest.Run r = CliTest.run("train", "--resume", run.toString());
        switch (left) {
            case NOTHING -> {
                assertEquals(ExitCodes.USAGE, r.code(), r.err());
                assertEquals("error: " + run + ": no such file or folder (a run stopped before it created its run folder "
                        + "left nothing to resume; start it again)", r.err().strip());
                r = CliTest.run(command);
            }
            case CONFIGURATION -> assertTrue(r.out().contains("resuming " + run + ": no checkpoint yet, so the run starts "
                    + "from the beginning with the options recorded in " + run.resolve(RunConfigFile.FILE) + "\n"), r.out());
            case CHECKPOINT -> assertTrue(r.out().contains("resumed from"), r.out());
        }
        CliTest.Run done = r;
        assertEquals(0, done.code(), () -> done.err() + done.out());
        assertFalse(done.err().contains("\tat "), done.err());
    }

    /** The hidden folders of creations in progress or abandoned under runs. */
    private static List<Path> creating(Path runs) {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".run.creating-")).toList();
        } catch (IOException raced) {
            return List.of(); // listed while a folder was renamed: look again on the next poll
        }
    }

    private static String sleep(int ms) throws InterruptedException {
        Thread.sleep(ms);
        return ms + " ms";
    }

    interface Condition {
        boolean holds() throws IOException;
    }

    /** Polls until the condition holds; fails if the child ends first or 60 s pass. */
    private static String await(Process p, Path log, Condition c, String what) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(60);
        while (!c.holds()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                fail("never saw: " + what + "\n" + Files.readString(log));
            }
            Thread.sleep(1); // not a busy wait: the child needs the CPU more than the poll does
        }
        return what + " (" + (System.nanoTime() - start) / 1_000_000 + " ms)";
    }

    private static String list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList().toString();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
