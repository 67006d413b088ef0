package org.alexnetcuda.device.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.alexnetcuda.device.host.NativeTools.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA 13 route end to end in a JVM, without CUDA: the packaged forwarder is extracted and loaded by
 * {@link CudaLibraries}, then JCublas2's real native library loads (its NEEDED libcublas.so.12 satisfied by the
 * forwarder) and its calls reach a stand-in libcublas.so.13. Runs in a child JVM, since a loaded JCublas2 stays
 * bound to whatever cuBLAS it found.
 */
class ForwarderJvmTest {
    @TempDir
    Path out;

    @Test
    void jcublas2ReachesLibcublas13ThroughTheForwarder() throws Exception {
        NativeTools.assumeTools("gcc", "make", "awk");
        NativeTools.skipUnless(CublasForwarder.packaged(), "the forwarder was not built into target/classes");
        NativeTools.buildTestBinaries(out);
        Path fakeDir = out.resolve("test");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Run r = NativeTools.run(List.of(java, "-cp", System.getProperty("java.class.path"),
                ForwarderJvmChild.class.getName(), fakeDir.toString()), Map.of());
        String o = r.output();
        assertEquals(0, r.code(), o);
        assertTrue(o.contains("route CUBLAS_13_FORWARDED"), o);
        assertTrue(o.contains("failures []"), o);
        assertTrue(o.contains("cublasGetProperty major 13"), o);
        assertTrue(o.contains("fake13 cublasCreate_v2"), o);
        assertTrue(o.contains("cublasCreate rc 0"), o);
        assertTrue(o.contains("fake13 cublasSgemm_v2 own=1 transa=1 transb=0 m=2 n=3 k=4 alpha=1.5 a=0x1000 lda=5 "
                + "b=0x7f0000002000 ldb=6 beta=0.25 c=0x3010 ldc=7"), o);
        assertTrue(o.contains("cublasSgemm rc 0"), o);
        assertTrue(o.contains("cublasSgemv rc 7"), o);
        assertTrue(o.contains("report host path: CUDA 13 libraries (cuBLAS 13 through the bundled libcublas.so.12 "
                + "forwarder)"), o);
        assertTrue(o.contains("report cuBLAS: 13.1.7 (built for CUDA 13.1), " + fakeDir.resolve("libcublas.so.13")),
                o);
        assertTrue(o.contains("mapped forwarder true"), o);
        assertTrue(o.contains("mapped JCublas2 true"), o);
    }
}
