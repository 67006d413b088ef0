package org.alexnetcuda.device.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.alexnetcuda.device.GpuProbe;
import org.alexnetcuda.device.host.LibrarySearch.Found;
import org.junit.jupiter.api.Test;

/** The device report from made-up parts: a CUDA 12 host, and a CUDA 13 host on the forwarder. */
class DeviceReportTest {
    private static final ProcMaps MAPS = ProcMaps.parse("""
            7f00 r--p 0 08:01 1 /usr/lib/x86_64-linux-gnu/libcuda.so.550.54.14
            7f01 r--p 0 08:01 2 /usr/local/cuda-12.6/lib64/libcublas.so.12.6.4.1
            7f02 r--p 0 08:01 3 /usr/local/cuda-12.6/lib64/libcublasLt.so.12.6.4.1
            7f03 r--p 0 08:01 4 /usr/lib/x86_64-linux-gnu/libcudnn.so.9.5.1
            7f04 r--p 0 08:01 5 /usr/lib/x86_64-linux-gnu/libcudnn_graph.so.9.5.1
            7f05 r--p 0 08:01 6 /usr/lib/x86_64-linux-gnu/libcudnn_cnn.so.9.5.1
            """);

    private static Found found(String soname, String dir, String via) {
        return new Found(soname, Path.of(dir, soname), via, true);
    }

    @Test
    void cuda12Host() {
        HostLibraries libs = new HostLibraries(Optional.of(found("libcuda.so.1", "/usr/lib/x86_64-linux-gnu",
                "ld.so.cache")), CublasRoute.CUBLAS_12, Optional.of(found("libcublas.so.12",
                "/usr/local/cuda-12.6/lib64", "/usr/local/cuda-12.6")), Optional.empty(), true, Optional.empty(),
                Optional.of(found("libcudnn.so.9", "/usr/lib/x86_64-linux-gnu", "ld.so.cache")), List.of(),
                List.of(), "(search)");
        HostProbe.Result probe = new HostProbe.Result(HostFindings.healthy(),
                new HostProbe.Versions(120604, 12060, 90501, 12060));
        DeviceReport r = DeviceReport.build(libs, probe, List.of(new GpuProbe.Gpu(0, "NVIDIA H100 80GB HBM3", 9, 0,
                80L << 30)), MAPS, "550.54.14");
        assertEquals(List.of(
                "driver: NVIDIA 550.54.14, supports CUDA 12.4 (/usr/lib/x86_64-linux-gnu/libcuda.so.550.54.14)",
                "GPU 0: NVIDIA H100 80GB HBM3, compute capability 9.0, 80.0 GiB; --precision fp32, tf32, fp16, bf16",
                "host path: CUDA 12 libraries (cuBLAS 12 used directly)",
                "cuBLAS: 12.6.4 (built for CUDA 12.6), /usr/local/cuda-12.6/lib64/libcublas.so.12.6.4.1 [found via "
                        + "/usr/local/cuda-12.6]",
                "cuDNN: 9.5.1 (built for CUDA 12.6), /usr/lib/x86_64-linux-gnu/libcudnn.so.9.5.1 [found via "
                        + "ld.so.cache], 2 sub-libraries loaded",
                "kernels: PTX ISA 8.0, JIT-compiled by drivers for CUDA 12.0 or newer"), r.lines());
        assertEquals(Optional.empty(), r.problem());
    }

    @Test
    void cuda13HostOnAnOldDriverSaysWhy() {
        HostLibraries libs = new HostLibraries(Optional.empty(), CublasRoute.CUBLAS_13_FORWARDED,
                Optional.of(found("libcublas.so.13", "/venv/nvidia/cu13/lib", "Python venv")),
                Optional.of(Path.of("/tmp/x/libcublas12to13.so")), true,
                Optional.of(found("libcublas.so.13", "/venv/nvidia/cu13/lib", "Python venv")),
                Optional.of(found("libcudnn.so.9", "/venv/nvidia/cudnn/lib", "Python venv")), List.of(),
                List.of("libcudnn_engines_runtime_compiled.so.9 at /x did not load: libnvrtc.so.13: cannot open"),
                "(search)");
        HostFindings f = HostFindings.healthy().withCublas(CublasRoute.CUBLAS_13_FORWARDED, true, true)
                .withCudnn(true, 13000);
        DeviceReport r = DeviceReport.build(libs, new HostProbe.Result(f, new HostProbe.Versions(130100, 13000,
                91900, 13000)), List.of(), ProcMaps.parse(""), null);
        assertTrue(r.lines().contains("host path: CUDA 13 libraries (cuBLAS 13 through the bundled libcublas.so.12 "
                + "forwarder)"), r.lines().toString());
        assertTrue(r.lines().contains("cuBLAS: 13.1.0 (built for CUDA 13.0), /venv/nvidia/cu13/lib/libcublas.so.13 "
                + "[found via Python venv], through /tmp/x/libcublas12to13.so"), r.lines().toString());
        assertTrue(r.lines().contains("note: libcudnn_engines_runtime_compiled.so.9 at /x did not load: "
                + "libnvrtc.so.13: cannot open"), r.lines().toString());
        assertTrue(r.problem().orElseThrow().startsWith("only cuBLAS 13 (libcublas.so.13) was found, and it needs a "
                + "driver for CUDA 13.0"), r.problem().toString());
    }

    /** Before Ampere the report says which precisions the card lacks: no bf16, and tf32 computed as FP32. */
    @Test
    void aTuringCardListsTheLesserPrecisions() {
        assertEquals("GPU 1: Tesla T4, compute capability 7.5, 15.0 GiB; --precision fp32, tf32 (as fp32 before "
                + "Ampere), fp16", new GpuProbe.Gpu(1, "Tesla T4", 7, 5, 15L << 30).toString());
    }
}
