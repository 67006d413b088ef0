package org.alexnetcuda.device.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The libcublas.so.12 forwarder built from cuda/compat and packed in the jar: extracted to a private temporary
 * directory so that {@link System#load} can map it.
 */
public final class CublasForwarder {
    /** Where the build puts it inside the jar. */
    public static final String RESOURCE = "/native/linux-x86_64/libcublas12to13.so";

    private CublasForwarder() {
    }

    public static boolean packaged() {
        return CublasForwarder.class.getResource(RESOURCE) != null;
    }

    /**
     * Copies the forwarder out of the jar. The file name does not matter to the dynamic linker: it matches
     * libJCublas2's NEEDED libcublas.so.12 against the soname stored in the file.
     */
    public static Optional<Path> extract() {
        try (InputStream in = CublasForwarder.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Optional.empty();
            }
            Path dir = Files.createTempDirectory("alexnet-cuda-compat-");
            Path lib = dir.resolve("libcublas12to13.so");
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            lib.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return Optional.of(lib);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the cuBLAS forwarder: " + e.getMessage(), e);
        }
    }
}
