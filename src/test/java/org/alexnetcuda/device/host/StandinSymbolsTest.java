package org.alexnetcuda.device.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The host stand-in (cuda/standin) defines every function JCuda's JNI libraries import, under the version node
 * they ask for, so no JCuda call can end in "symbol lookup error": the committed lists are exactly the imports of
 * the natives jars on the classpath (after a JCuda upgrade this fails until gen-symbols.sh is run again), and each
 * library the build made exports every listed name.
 */
class StandinSymbolsTest {
    private static final Path STANDIN = Path.of(System.getProperty("basedir", "."), "cuda", "standin");
    private static final Path TARGET = Path.of(System.getProperty("basedir", "."), "target");

    @TempDir
    Path tmp;

    private TreeSet<String> imports(String resource, Predicate<NativeTools.Symbol> from) throws Exception {
        NativeTools.assumeTools("readelf");
        TreeSet<String> names = new TreeSet<>();
        for (NativeTools.Symbol s : NativeTools.dynamicSymbols(NativeTools.extract(resource, tmp))) {
            if (s.imported() && from.test(s)) {
                names.add(s.name());
            }
        }
        return names;
    }

    @Test
    void driverListIsWhatJCudaDriverImports() throws Exception {
        // libcuda's functions are unversioned; cu* names only (the C library's are versioned @GLIBC_*).
        TreeSet<String> imported = imports("/lib/libJCudaDriver-12.6.0-linux-x86_64.so",
                s -> s.versionedName().matches("cu[A-Z]\\w*"));
        assertTrue(imported.contains("cuLaunchKernel") && imported.contains("cuGraphInstantiateWithFlags"),
                imported::toString);
        assertEquals(imported, NativeTools.symbolList(STANDIN.resolve("driver-symbols.txt")));
    }

    @Test
    void cudnnListIsWhatJCudnnImports() throws Exception {
        TreeSet<String> imported = imports("/lib/libJCudnn-12.6.0-linux-x86_64.so",
                s -> s.versionedName().endsWith("@libcudnn.so.9"));
        assertTrue(imported.contains("cudnnConvolutionForward"), imported::toString);
        assertEquals(imported, NativeTools.symbolList(STANDIN.resolve("cudnn9-symbols.txt")));
    }

    @ParameterizedTest
    @CsvSource({
        "standin/libcuda.so.1, cuda/standin/driver-symbols.txt, ''",
        "standin/libcublas.so.12, cuda/compat/cublas12-symbols.txt, libcublas.so.12",
        "standin/libcudnn.so.9, cuda/standin/cudnn9-symbols.txt, libcudnn.so.9",
        "standin-cuda13/libcuda.so.1, cuda/standin/driver-symbols.txt, ''",
        "standin-cuda13/libcublas.so.13, cuda/compat/cublas12-symbols.txt, libcublas.so.13",
        "standin-cuda13/libcudnn.so.9, cuda/standin/cudnn9-symbols.txt, libcudnn.so.9"})
    void eachBuiltLibraryExportsEveryListedName(String library, String list, String version) throws Exception {
        NativeTools.assumeTools("readelf");
        Path notBuilt = TARGET.resolve("standin-not-built.txt");
        NativeTools.skipUnless(!Files.exists(notBuilt), "the host stand-in was not built: "
                + (Files.exists(notBuilt) ? Files.readString(notBuilt).strip() : ""));
        Path so = TARGET.resolve(library);
        assertTrue(Files.isRegularFile(so), so + " was not built");
        Set<String> exported = new TreeSet<>();
        for (NativeTools.Symbol s : NativeTools.dynamicSymbols(so)) {
            if (!s.imported()) {
                exported.add(s.versionedName());
            }
        }
        TreeSet<String> missing = new TreeSet<>();
        for (String name : NativeTools.symbolList(Path.of(System.getProperty("basedir", "."), list))) {
            // The default version (name@@node) is what a versioned import binds to; libcuda has no versions.
            if (!exported.contains(version.isEmpty() ? name : name + "@@" + version)) {
                missing.add(name);
            }
        }
        assertEquals(Set.of(), missing, library + " lacks these (version " + version + ")");
    }
}
