package org.alexnetcuda.device.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.alexnetcuda.device.host.NativeTools.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libcublas.so.12 forwarder against a stand-in libcublas.so.13 (cuda/compat/test), no CUDA needed: a
 * consumer linked like libJCublas2 (NEEDED libcublas.so.12, symbols @libcublas.so.12) is loaded the way the JVM
 * loads libraries and calls through the forwarder into the stand-in, which prints what it received.
 */
class ForwarderMechanismTest {
    @TempDir
    static Path out;

    static Path test;
    static Path forwarder;

    @BeforeAll
    static void build() throws Exception {
        NativeTools.assumeTools("gcc", "make", "awk");
        NativeTools.buildTestBinaries(out);
        test = out.resolve("test");
        forwarder = out.resolve("libcublas12to13.so");
    }

    private static Run driver(String fake13, String mode, Map<String, String> env) throws Exception {
        return NativeTools.run(List.of(test.resolve("forward_test").toString(), fake13, forwarder.toString(),
                test.resolve("libconsumer.so").toString(), mode), env);
    }

    @Test
    void callsReachLibcublas13WithTheirArgumentsIntact() throws Exception {
        Run r = driver(test.resolve("libcublas.so.13").toString(), "run", Map.of());
        assertEquals(0, r.code(), r.output());
        // 14 arguments: the last eight on the stack, all must arrive unchanged.
        assertTrue(r.output().contains("fake13 cublasSgemm_v2 own=1 transa=1 transb=0 m=2 n=3 k=4 alpha=1.5 "
                + "a=0x1000 lda=5 b=0x2000 ldb=6 beta=0.25 c=0x3000 ldc=7"), r.output());
        assertTrue(r.output().contains("fake13 cublasSetMathMode own=1 mode=3"), r.output());
        // A status comes back unchanged through the tail jump.
        assertTrue(r.output().contains("consumer sgemv status=7"), r.output());
        assertTrue(r.output().contains("fake13 cublasDestroy_v2 own=1"), r.output());
    }

    @Test
    void theForwarderFindsLibcublas13ByItselfOnTheLinkerPath() throws Exception {
        Run r = driver("-", "run", Map.of("LD_LIBRARY_PATH", test.toString()));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("fake13 cublasSgemm_v2 own=1"), r.output());
    }

    @Test
    void aFunctionLibcublas13LacksStopsWithItsName() throws Exception {
        Run r = driver(test.resolve("libcublas.so.13").toString(), "missing", Map.of());
        assertEquals(128 + 6, r.code(), "SIGABRT expected: " + r.output());
        assertTrue(r.output().contains("alexnet-cuda: cuBLAS forwarder: cublasDgemm_v2 is not exported by "
                + "libcublas.so.13"), r.output());
    }

    @Test
    void withoutLibcublas13TheFirstCallSaysWhy() throws Exception {
        Run r = driver("-", "run", Map.of());
        assertEquals(128 + 6, r.code(), r.output());
        assertTrue(r.output().contains("cublasCreate_v2 called, but libcublas.so.13 did not load: "), r.output());
    }

    /** The reason the forwarder exists: a plain symlink libcublas.so.12 -> libcublas.so.13 is refused. */
    @Test
    void aSymlinkCannotStandIn() throws Exception {
        Path linkDir = Files.createDirectories(out.resolve("symlink"));
        Path link = linkDir.resolve("libcublas.so.12");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, test.resolve("libcublas.so.13"));
        // The dynamic linker finds the symlink by name on its search path, then checks the version node.
        Run r = NativeTools.run(List.of(test.resolve("forward_test").toString(), "-", link.toString(),
                test.resolve("libconsumer.so").toString(), "run"), Map.of("LD_LIBRARY_PATH", linkDir.toString()));
        assertEquals(3, r.code(), r.output());
        assertTrue(r.output().contains("version `libcublas.so.12' not found"), r.output());
    }

    @Test
    void elfPropertiesOfTheForwarder() throws Exception {
        NativeTools.assumeTools("readelf");
        Run dyn = NativeTools.run(List.of("readelf", "-d", forwarder.toString()), Map.of());
        assertTrue(dyn.output().contains("Library soname: [libcublas.so.12]"), dyn.output());
        Run syms = NativeTools.run(List.of("readelf", "--dyn-syms", "-W", forwarder.toString()), Map.of());
        List<String> names = Files.readAllLines(NativeTools.compatDir().resolve("cublas12-symbols.txt"));
        for (String name : names) {
            assertTrue(syms.output().contains(" " + name + "@@libcublas.so.12\n"), name + " not exported");
        }
        assertFalse(syms.output().contains("fw_targets"), "internal symbols stay local");
        // Only the x86-64 baseline glibc version is required, so the library loads on old hosts too.
        Run ver = NativeTools.run(List.of("readelf", "-V", "-W", forwarder.toString()), Map.of());
        String needs = ver.output().substring(ver.output().indexOf("Version needs"));
        assertTrue(needs.contains("GLIBC_2.2.5"), needs);
        assertFalse(needs.matches("(?s).*GLIBC_2\\.(3|[1-9]\\d).*"), needs);
    }
}
