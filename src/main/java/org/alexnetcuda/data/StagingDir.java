package org.alexnetcuda.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary folder {@code dir/.cifar10-download-*} where an archive is fetched and unpacked before one atomic rename
 * puts the result in place. It lives inside the destination folder so that the rename stays on one file system, and
 * its name starts with a dot and says what it is, so neither the reader nor a user takes it for data. Closing deletes
 * it on every outcome; a JVM shutdown hook does the same on Ctrl-C. A destination folder this staging created is
 * removed again on failure if it is still empty, so a failed attempt leaves the disk as it found it.
 */
final class StagingDir implements AutoCloseable {
    static final String PREFIX = ".cifar10-download-";

    private final Path dir;
    private final boolean createdDir;
    private final Path path;
    private final Thread cleanup;
    private boolean succeeded;

    private StagingDir(Path dir, boolean createdDir, Path path, Thread cleanup) {
        this.dir = dir;
        this.createdDir = createdDir;
        this.path = path;
        this.cleanup = cleanup;
    }

    /** Creates dir if needed and a fresh staging folder in it. */
    static StagingDir in(Path dir) throws IOException {
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        Path p;
        try {
            p = Files.createTempDirectory(dir, PREFIX);
        } catch (IOException e) {
            removeIfEmpty(dir, created);
            throw e;
        }
        Thread hook = new Thread(() -> deleteTree(p), "cifar10-staging-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        return new StagingDir(dir, created, p, hook);
    }

    Path path() {
        return path;
    }

    /** Marks the attempt as successful, so the destination folder is kept even if this staging created it. */
    void succeeded() {
        succeeded = true;
    }

    @Override
    public void close() {
        deleteTree(path);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or will run; nothing to undo.
        }
        if (!succeeded) {
            removeIfEmpty(dir, createdDir);
        }
    }

    private static void removeIfEmpty(Path dir, boolean created) {
        if (!created) {
            return;
        }
        try {
            Files.deleteIfExists(dir); // fails, and is meant to, when anything else is in it
        } catch (IOException notEmpty) {
            // Not ours to force.
        }
    }

    /** Deletes a directory tree, deepest first; best effort. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover staging folder is harmless to the reader, and the original error matters more.
        }
    }
}
