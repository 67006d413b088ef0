package org.alexnetcuda.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A run's folder: {@code config.json}, {@code checkpoints/}, {@code metrics.csv}, {@code metrics.json},
 * {@code chart.png}, and {@code .lock}, which the training process holds locked so that two processes never train
 * into one folder. The lock is the operating system's (fcntl), not a PID written in the file: the OS releases it
 * when the process dies, even by kill -9, so a {@code .lock} left by a dead process never blocks.
 */
public final class RunDirectory implements AutoCloseable {
    public static final String LOCK = ".lock";
    /** A new run folder is assembled as a hidden sibling {@code .<name>.creating-*}, then renamed to its name. */
    private static final String CREATING = ".creating-";
    /**
     * Tests only: milliseconds to wait, holding the lock, right after a run's configuration is written (in a new
     * folder: before it is renamed into place), so that a test can kill the process at that moment every time rather
     * than by luck, or find the folder held by a live process.
     */
    public static final String PAUSE_PROPERTY = "alexnetcuda.test.pauseAfterRunConfigMs";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** runs/&lt;date-time&gt; under base, with -2, -3, ... appended if that exists already. */
    public static Path defaultPath(Path base, LocalDateTime now) {
        Path p = base.resolve(STAMP.format(now));
        for (int i = 2; Files.exists(p); i++) {
            p = base.resolve(STAMP.format(now) + "-" + i);
        }
        return p;
    }

    /**
     * Fails early, before any data is read or anything written, if the folder cannot be created or written:
     * the nearest existing ancestor must be a writable folder, or the folder itself must be.
     */
    public static void checkWritable(Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null || !Files.isDirectory(p)) {
            throw new IllegalArgumentException("cannot create run folder " + dir + ": " + p + " is not a folder");
        }
        if (!Files.isWritable(p)) {
            throw new IllegalArgumentException("cannot create run folder " + dir + ": " + p + " is not writable");
        }
    }

    /** Creates the folder if needed and locks it; IllegalArgumentException if another process holds it. */
    public static RunDirectory open(Path dir) {
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IllegalArgumentException("run folder " + dir + " is in use by another training process");
            }
            return new RunDirectory(dir, ch, lock);
        } catch (OverlappingFileLockException e) {
            close(ch);
            throw new IllegalArgumentException("run folder " + dir + " is in use by another training run in this process");
        } catch (IOException e) {
            close(ch);
            throw new IllegalArgumentException("cannot create run folder " + dir + ": " + CheckpointStore.describe(e));
        } catch (RuntimeException e) {
            close(ch);
            throw e;
        }
    }

    /**
     * The folder of a new run, locked, holding its configuration. A folder that does not exist yet is created
     * atomically with the configuration in it: it is assembled under a hidden temporary name and renamed into place,
     * so a kill at any moment leaves either no folder or one whose config.json is complete, never a folder holding only
     * a lock. An existing folder (empty, or a run stopped before its first checkpoint) is locked where it is and its
     * config.json replaced atomically. IllegalArgumentException if another process holds it.
     */
    public static RunDirectory create(Path dir, RunConfigFile config) {
        if (!Files.isDirectory(dir)) {
            RunDirectory created = createAtomically(dir, config);
            if (created != null) {
                return created;
            }
            // Another process created the folder meanwhile; opening it in place says whether it is still in use.
        }
        RunDirectory opened = open(dir);
        try {
            config.write(dir);
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw new CheckpointWriteException("cannot write " + dir.resolve(RunConfigFile.FILE) + ": "
                    + CheckpointStore.describe(e), e);
        }
        pauseForTests(dir);
        return opened;
    }

    /** Creates dir with its configuration in one rename; null if dir appeared meanwhile (nothing is left behind). */
    private static RunDirectory createAtomically(Path dir, RunConfigFile config) {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        String prefix = "." + target.getFileName() + CREATING;
        Path tmp = null;
        FileChannel ch = null;
        try {
            Files.createDirectories(parent);
            removeAbandoned(parent, prefix);
            tmp = Files.createTempDirectory(parent, prefix);
            // Locked from the start, so that a concurrent removeAbandoned leaves this folder alone.
            ch = FileChannel.open(tmp.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.lock();
            try {
                config.write(tmp);
            } catch (IOException e) {
                throw new CheckpointWriteException("cannot write " + dir.resolve(RunConfigFile.FILE) + ": "
                        + CheckpointStore.describe(e), e);
            }
            AtomicFiles.makeReadable(tmp); // temp folders are created private; a run folder is not
            pauseForTests(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (Files.isDirectory(target)) {
                    AtomicFiles.deleteRecursively(tmp);
                    close(ch);
                    return null;
                }
                throw e;
            }
            AtomicFiles.syncDirectory(parent); // the folder's new name survives a crash
            return new RunDirectory(dir, ch, lock);
        } catch (IOException e) {
            close(ch);
            deleteQuietly(tmp);
            throw new IllegalArgumentException("cannot create run folder " + dir + ": " + CheckpointStore.describe(e));
        } catch (RuntimeException e) {
            close(ch);
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * Deletes the temporary folders of creations that a kill interrupted: those whose lock nobody holds (a kill
     * between the folder's creation and its lock's leaves no lock file, hence CREATE). A folder still being assembled
     * by a live process stays locked and is left alone.
     */
    private static void removeAbandoned(Path parent, String prefix) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : ds) {
                try (FileChannel ch = FileChannel.open(p.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock lock = ch.tryLock();
                    if (lock != null) {
                        AtomicFiles.deleteRecursively(p);
                    }
                } catch (OverlappingFileLockException | IOException inUseOrGone) {
                    // held in this process, or removed meanwhile, or unreadable: leave it
                }
            }
        }
    }

    private static void pauseForTests(Path written) {
        long ms = Long.getLong(PAUSE_PROPERTY, 0);
        if (ms > 0) {
            System.err.println("test pause: " + ms + " ms after writing " + written.resolve(RunConfigFile.FILE));
            System.err.flush();
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                AtomicFiles.deleteRecursively(p);
            } catch (IOException ignored) {
                // a leftover temp folder is removed by the next creation of this run folder
            }
        }
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing was locked
            }
        }
    }

    public Path path() {
        return path;
    }

    public CheckpointStore checkpoints() {
        return new CheckpointStore(path);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel's close releases it too
        }
        close(lockChannel);
    }
}
