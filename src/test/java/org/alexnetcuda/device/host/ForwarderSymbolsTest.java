package org.alexnetcuda.device.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.alexnetcuda.device.host.NativeTools.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed cuda/compat/cublas12-symbols.txt is exactly what the JCublas2 native library on the classpath
 * imports from libcublas.so.12: after a JCublas upgrade this fails until gen-symbols.sh is run again.
 */
class ForwarderSymbolsTest {
    static final String JCUBLAS2_NATIVE = "/lib/libJCublas2-12.6.0-linux-x86_64.so";

    @TempDir
    Path tmp;

    @Test
    void committedListMatchesJCublas2Imports() throws Exception {
        NativeTools.assumeTools("readelf");
        Path so = tmp.resolve("libJCublas2.so");
        try (InputStream in = ForwarderSymbolsTest.class.getResourceAsStream(JCUBLAS2_NATIVE)) {
            assertNotNull(in, JCUBLAS2_NATIVE + " is not on the test classpath (jcublas-natives)");
            Files.copy(in, so);
        }
        Run r = NativeTools.run(List.of("readelf", "--dyn-syms", "-W", so.toString()), Map.of());
        assertEquals(0, r.code(), r.output());
        TreeSet<String> imported = new TreeSet<>();
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[6].equals("UND") && f[7].endsWith("@libcublas.so.12")) {
                imported.add(f[7].substring(0, f[7].indexOf('@')));
            }
        }
        TreeSet<String> committed = new TreeSet<>(Files.readAllLines(
                NativeTools.compatDir().resolve("cublas12-symbols.txt")));
        committed.remove("");
        assertEquals(494, imported.size(), "JCublas2 12.6.0 imports 494 cuBLAS functions");
        assertEquals(imported, committed);
    }
}
