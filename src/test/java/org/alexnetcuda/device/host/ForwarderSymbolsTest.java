package org.alexnetcuda.device.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.TreeSet;

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
        TreeSet<String> imported = new TreeSet<>();
        for (NativeTools.Symbol sym : NativeTools.dynamicSymbols(NativeTools.extract(JCUBLAS2_NATIVE, tmp))) {
            if (sym.imported() && sym.versionedName().endsWith("@libcublas.so.12")) {
                imported.add(sym.name());
            }
        }
        TreeSet<String> committed = NativeTools.symbolList(NativeTools.compatDir().resolve("cublas12-symbols.txt"));
        assertEquals(494, imported.size(), "JCublas2 12.6.0 imports 494 cuBLAS functions");
        assertEquals(imported, committed);
    }
}
