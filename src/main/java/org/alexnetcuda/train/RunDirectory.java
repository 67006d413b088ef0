package org.alexnetcuda.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A run's folder: {@code checkpoints/}, {@code metrics.csv}, {@code metrics.json},
 * {@code chart.png}, and {@code .lock}, which the training process holds locked so that two processes never train
 * into one folder (the OS releases the lock when the process dies, even by kill -9).
 */
public final class RunDirectory implements AutoCloseable {
    public static final String LOCK = ".lock";
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
