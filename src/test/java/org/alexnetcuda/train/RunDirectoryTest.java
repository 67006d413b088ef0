package org.alexnetcuda.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.alexnetcuda.data.Cifar10Reader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run folder created with its configuration: all at once, locked, and what interrupted creations left cleaned up. */
class RunDirectoryTest {
    @TempDir
    Path tmp;

    private static RunConfigFile config(long seed) {
        Cifar10Reader.Splits d = TinyRuns.data(32, 16);
        return new RunConfigFile(TinyRuns.config(d, 2, 16, 0, 1, false, seed), null);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewFolderAppearsWithItsConfigurationAndLocked() throws IOException {
        Path run = tmp.resolve("runs").resolve("run");
        RunConfigFile c = new RunConfigFile(config(5).config(), new RunConfigFile.InitialWeights("/w.safetensors", "0badc0de"));
        try (RunDirectory d = RunDirectory.create(run, c)) {
            assertEquals(run, d.path());
            assertEquals(List.of(".lock", "config.json"), names(run));
            assertEquals(List.of("run"), names(run.getParent()), "no temporary folder is left beside it");
            assertEquals(c, RunConfigFile.read(run), "config.json holds the whole configuration");
            assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(run), "the folder is locked");
        }
        RunDirectory.open(run).close();
    }

    @Test
    void anExistingFolderGetsTheNewConfiguration() throws IOException {
        Path run = tmp.resolve("run");
        RunDirectory.create(run, config(1)).close();
        RunDirectory.create(run, config(2)).close();
        assertEquals(2, RunConfigFile.read(run).config().training().seed());
        assertEquals(List.of(".lock", "config.json"), names(run));
    }

    @Test
    void creationsAKillInterruptedAreRemovedAndOnesInProgressAreNot() throws IOException {
        Path dead = Files.createDirectories(tmp.resolve(".run.creating-1"));
        Files.writeString(dead.resolve(RunConfigFile.FILE), "{\"version\": 1, \"conf");
        Files.createFile(dead.resolve(RunDirectory.LOCK));
        Path unlocked = Files.createDirectories(tmp.resolve(".run.creating-2")); // killed before its lock file existed
        Path live = Files.createDirectories(tmp.resolve(".run.creating-3"));
        Path other = Files.createDirectories(tmp.resolve(".other.creating-4")); // another run's: not ours to judge
        try (FileChannel ch = FileChannel.open(live.resolve(RunDirectory.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            RunDirectory.create(tmp.resolve("run"), config(1)).close();
            assertTrue(held.isValid());
        }
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(unlocked));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(other));
    }

    @Test
    void aFolderInUseIsRefusedAndLeftAsItWas() throws IOException {
        Path run = tmp.resolve("run");
        try (RunDirectory held = RunDirectory.create(run, config(1))) {
            String before = Files.readString(run.resolve(RunConfigFile.FILE));
            assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(run, config(2)));
            assertEquals(before, Files.readString(run.resolve(RunConfigFile.FILE)));
        }
    }
}
