package org.alexnetcuda.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.CRC32C;

/**
 * Writes that never leave a half-written file under its final name: write a temp file in the same folder, fsync it,
 * rename it over the target (atomic within one file system), fsync the folder so the rename itself survives a crash.
 */
public final class AtomicFiles {
    private static final boolean POSIX = !System.getProperty("os.name", "").startsWith("Windows");

    private AtomicFiles() {
    }

    /** Replaces {@code file} with {@code data}, atomically. */
    public static void write(Path file, byte[] data) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
            makeReadable(tmp);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        move(tmp, file);
    }

    /** Renames source to target atomically (replacing a file target) and fsyncs the target's folder. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(source);
            throw e;
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Flushes a folder's entries (new names, renames) to disk; a no-op where folders cannot be opened (Windows). */
    public static void syncDirectory(Path dir) throws IOException {
        if (!POSIX) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Gives a file (rw-r--r--) or folder (rwxr-xr-x) the usual permissions: temp files are created private, but a
     * checkpoint is meant to be read by others (a notebook, a colleague). No-op where POSIX permissions do not exist.
     */
    public static void makeReadable(Path p) throws IOException {
        if (!POSIX || !Files.getFileStore(p).supportsFileAttributeView("posix")) {
            return;
        }
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
    }

    /** Deletes a file or a folder tree; missing is fine. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.deleteIfExists(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** CRC-32C of a file's bytes, as 8 hex digits. */
    public static String crc32c(Path file) throws IOException {
        CRC32C c = new CRC32C();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                c.update(buf, 0, n);
            }
        }
        return String.format("%08x", c.getValue());
    }
}
