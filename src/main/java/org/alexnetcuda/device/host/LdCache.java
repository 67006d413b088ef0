package org.alexnetcuda.device.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The dynamic linker's cache (/etc/ld.so.cache) as {@code ldconfig -p} prints it: which file the linker picks
 * for a soname when LD_LIBRARY_PATH does not name one. Only x86-64 entries count (the JVM is 64-bit).
 */
public final class LdCache {
    private final Map<String, Path> bySoname;

    private LdCache(Map<String, Path> bySoname) {
        this.bySoname = bySoname;
    }

    public static LdCache empty() {
        return new LdCache(Map.of());
    }

    /** Runs {@code ldconfig -p}; an empty cache where ldconfig is missing or fails (the search goes on without it). */
    public static LdCache load() {
        for (String ldconfig : new String[] {"/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"}) {
            try {
                Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
                byte[] out;
                try (InputStream in = p.getInputStream()) {
                    out = in.readAllBytes();
                }
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return parse(new String(out, StandardCharsets.UTF_8));
                }
                p.destroy();
            } catch (IOException e) {
                // not at this path: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return empty();
    }

    /**
     * Parses lines such as {@code \tlibcublas.so.12 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcublas.so.12}.
     * The first entry of a soname wins, as it does for the linker.
     */
    public static LdCache parse(String ldconfigOutput) {
        Map<String, Path> map = new LinkedHashMap<>();
        for (String line : ldconfigOutput.split("\n")) {
            int arrow = line.indexOf("=>");
            int paren = line.indexOf('(');
            if (arrow < 0 || paren < 0 || paren > arrow) {
                continue;
            }
            String flags = line.substring(paren, arrow);
            if (!flags.contains("x86-64")) {
                continue;
            }
            String soname = line.substring(0, paren).trim();
            String file = line.substring(arrow + 2).trim();
            if (!soname.isEmpty() && file.startsWith("/")) {
                map.putIfAbsent(soname, Path.of(file));
            }
        }
        return new LdCache(Map.copyOf(map));
    }

    public Optional<Path> find(String soname) {
        return Optional.ofNullable(bySoname.get(soname));
    }
}
