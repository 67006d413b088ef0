package org.alexnetcuda.device.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The files mapped into this process, from /proc/self/maps: after the CUDA libraries are loaded this says which
 * files the dynamic linker actually chose (symlinks already resolved, e.g. libcuda.so.550.54.14).
 */
public final class ProcMaps {
    private final List<Path> files;

    private ProcMaps(List<Path> files) {
        this.files = files;
    }

    /** The current process's mappings; empty where /proc is not readable (not Linux). */
    public static ProcMaps self() {
        try {
            return parse(Files.readString(Path.of("/proc/self/maps")));
        } catch (IOException | UnsupportedOperationException e) {
            return new ProcMaps(List.of());
        }
    }

    /**
     * Parses maps lines ({@code address perms offset dev inode pathname}); keeps each absolute pathname once, in
     * order of first appearance. Pseudo entries ([heap], [vdso]) and anonymous mappings have no absolute path.
     */
    public static ProcMaps parse(String maps) {
        Set<Path> seen = new LinkedHashSet<>();
        for (String line : maps.split("\n")) {
            String[] f = line.trim().split("\\s+", 6);
            if (f.length == 6 && f[5].startsWith("/")) {
                String path = f[5].endsWith(" (deleted)") ? f[5].substring(0, f[5].length() - 10) : f[5];
                seen.add(Path.of(path));
            }
        }
        return new ProcMaps(List.copyOf(seen));
    }

    /** Mapped files whose name starts with {@code prefix}, e.g. "libcublas.so." or "libcudnn". */
    public List<Path> named(String prefix) {
        List<Path> out = new ArrayList<>();
        for (Path p : files) {
            if (p.getFileName().toString().startsWith(prefix)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The first mapped file whose name starts with {@code prefix}. */
    public Optional<Path> first(String prefix) {
        List<Path> n = named(prefix);
        return n.isEmpty() ? Optional.empty() : Optional.of(n.get(0));
    }

    public List<Path> all() {
        return files;
    }
}
