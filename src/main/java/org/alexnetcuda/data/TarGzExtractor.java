package org.alexnetcuda.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a .tar.gz into a directory, refusing anything that could write outside it: absolute names, names that
 * normalise above the root ("../"), links, and device or other special entries. Also caps the total size, so a
 * hostile archive cannot fill the disk.
 */
final class TarGzExtractor {
    /** The real archive unpacks to about 180 MB. */
    static final long MAX_BYTES = 1L << 30;

    private TarGzExtractor() {
    }

    /** Extracts archive into root (which must exist); label names the archive in error messages. */
    static void extract(Path archive, Path root, String label) {
        Path base = root.toAbsolutePath().normalize();
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = safeTarget(base, e.getName(), label);
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        int n;
                        while ((n = tar.read(buf)) > 0) {
                            total += n;
                            if (total > MAX_BYTES) {
                                throw new DataException(label + ": archive expands beyond " + (MAX_BYTES >> 20) + " MiB");
                            }
                            out.write(buf, 0, n);
                        }
                    }
                } else {
                    throw new DataException(label + ": unsupported archive entry " + e.getName() + " (links and special files are refused)");
                }
            }
        } catch (IOException e) {
            throw new DataException(label + ": cannot unpack: " + e, e);
        }
    }

    private static Path safeTarget(Path base, String name, String label) {
        Path target;
        try {
            Path rel = Path.of(name);
            if (rel.isAbsolute()) {
                throw new DataException(label + ": archive entry " + name + " has an absolute path");
            }
            target = base.resolve(rel).normalize();
        } catch (InvalidPathException ex) {
            throw new DataException(label + ": archive entry has an invalid name: " + ex.getMessage());
        }
        if (!target.startsWith(base)) {
            throw new DataException(label + ": archive entry " + name + " escapes the target directory");
        }
        return target;
    }
}
