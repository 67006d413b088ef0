package org.alexnetcuda.device.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The diagnosis on made-up hosts: one line each, saying what was found, what is needed and the fix. */
class HostCheckTest {
    private static String only(HostFindings f) {
        List<String> p = HostCheck.problems(f);
        assertFalse(p.isEmpty(), "expected a problem for " + f);
        String line = p.get(0);
        assertFalse(line.contains("\n"), line);
        assertTrue(line.endsWith(HostCheck.CPU_HINT), line);
        return line;
    }

    @Test
    void healthyHostHasNoProblem() {
        assertEquals(List.of(), HostCheck.problems(HostFindings.healthy()));
        HostCheck.require(HostFindings.healthy());
    }

    @Test
    void noDriver() {
        String p = only(HostFindings.healthy().withDriver("no NVIDIA driver found (libcuda.so.1 is not installed)",
                null, 0, 0));
        assertTrue(p.startsWith("no NVIDIA driver found (libcuda.so.1 is not installed)"), p);
        assertTrue(p.contains("CUDA 12.0 or newer (R525+)"), p);
        assertTrue(p.contains("install it"), p);
        // Nothing else is worth saying before the driver is there.
        assertEquals(1, HostCheck.problems(HostFindings.healthy().withDriver("no driver", null, 0, 0)
                .withCudnn(false, 0)).size());
    }

    @Test
    void cuInitFailure() {
        String p = only(HostFindings.healthy().withDriver(null, "CUDA_ERROR_NO_DEVICE", 12040, 0));
        assertTrue(p.contains("(CUDA 12.4) is installed but cuInit failed with CUDA_ERROR_NO_DEVICE"), p);
        assertTrue(p.contains("CUDA_VISIBLE_DEVICES"), p);
    }

    @Test
    void noGpu() {
        String p = only(HostFindings.healthy().withDriver(null, null, 12080, 0));
        assertTrue(p.startsWith("the NVIDIA driver (CUDA 12.8) reports no GPU"), p);
    }

    @Test
    void driverTooOldForCuda12() {
        String p = only(HostFindings.healthy().withDriver(null, null, 11040, 1));
        assertTrue(p.startsWith("the NVIDIA driver supports CUDA 11.4;"), p);
        assertTrue(p.contains("CUDA 12.0 or newer (R525+)"), p);
        assertTrue(p.contains("update the NVIDIA driver"), p);
    }

    @Test
    void driverTooOldForThePtx() {
        String p = only(HostFindings.healthy().withDriver(null, null, 12020, 1).withPtx("8.4"));
        assertTrue(p.contains("supports CUDA 12.2 (PTX ISA up to 8.2)"), p);
        assertTrue(p.contains("kernels are PTX ISA 8.4, which needs a driver for CUDA 12.4 or newer"), p);
        // The shipped ISA 8.0 runs on every CUDA 12 driver.
        assertEquals(List.of(), HostCheck.problems(HostFindings.healthy().withDriver(null, null, 12000, 1)));
    }

    @Test
    void ptxNewerThanTheTableKnows() {
        String p = only(HostFindings.healthy().withDriver(null, null, 13010, 1).withPtx("9.9"));
        assertTrue(p.contains("needs a newer driver than this program knows"), p);
    }

    @Test
    void noCublas() {
        String p = only(HostFindings.healthy().withCublas(CublasRoute.NONE, false, true));
        assertTrue(p.startsWith("cuBLAS not found: neither libcublas.so.12 nor libcublas.so.13"), p);
        assertTrue(p.contains("(searched (search path))"), p);
        assertTrue(p.contains("nvidia-cublas-cu12"), p);
    }

    @Test
    void cublas13WithoutTheForwarderInTheJar() {
        String p = only(HostFindings.healthy().withCublas(CublasRoute.NONE, true, false));
        assertTrue(p.startsWith("only cuBLAS 13 (libcublas.so.13) was found"), p);
        assertTrue(p.contains("built without the libcublas.so.12 forwarder"), p);
        assertTrue(p.contains("rebuild with gcc"), p);
    }

    @Test
    void cublas13NeedsACuda13Driver() {
        HostFindings forwarded = HostFindings.healthy().withCublas(CublasRoute.CUBLAS_13_FORWARDED, true, true);
        String p = only(forwarded);
        assertTrue(p.contains("needs a driver for CUDA 13.0 or newer (R580+) but the driver supports CUDA 12.4"), p);
        assertEquals(List.of(), HostCheck.problems(forwarded.withDriver(null, null, 13000, 1)));
    }

    @Test
    void noCudnn() {
        String p = only(HostFindings.healthy().withCudnn(false, 0));
        assertTrue(p.startsWith("cuDNN 9 not found: no libcudnn.so.9"), p);
        assertTrue(p.contains("nvidia-cudnn-cu12 or nvidia-cudnn-cu13"), p);
    }

    @Test
    void cudnnBuiltForANewerCudaThanTheDriver() {
        String p = only(HostFindings.healthy().withCudnn(true, 13000));
        assertTrue(p.startsWith("cuDNN was built for CUDA 13.0 but the driver supports CUDA 12.4"), p);
        assertEquals(List.of(), HostCheck.problems(HostFindings.healthy().withCudnn(true, 12080)));
    }

    @Test
    void aLibraryThatDoesNotLoad() {
        String p = only(HostFindings.healthy().withLoadFailures(List.of(
                "libcudnn.so.9 at /x/libcudnn.so.9 did not load: libcudnn_graph.so.9: cannot open shared object "
                        + "file")));
        assertTrue(p.startsWith("libcudnn.so.9 at /x/libcudnn.so.9 did not load"), p);
        assertTrue(p.contains("ldd"), p);
    }

    @Test
    void problemsComeInTheOrderToFixThem() {
        HostFindings f = HostFindings.healthy().withCublas(CublasRoute.NONE, false, true).withCudnn(false, 0);
        List<String> p = HostCheck.problems(f);
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("cuBLAS not found"));
        assertTrue(p.get(1).startsWith("cuDNN 9 not found"));
        HostProblemException e = assertThrows(HostProblemException.class, () -> HostCheck.require(f));
        assertEquals(p.get(0), e.getMessage());
    }
}
