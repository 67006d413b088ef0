package org.alexnetcuda.device.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.alexnetcuda.device.GpuProbe;
import org.alexnetcuda.device.host.LibrarySearch.Found;

/**
 * What the {@code device} command prints: the GPUs, the driver, and which cuBLAS and cuDNN this program uses,
 * with their versions and the files they were loaded from, and whether the CUDA 12 or the CUDA 13 host path
 * is in use; or the one-line reason the GPU engine cannot run here.
 */
public final class DeviceReport {
    /** The version in "NVRM version: NVIDIA UNIX [Open ]Kernel Module [for x86_64]  550.54.14  ...". */
    private static final Pattern KERNEL_MODULE =
            Pattern.compile("Kernel Module.*?\\s(\\d+\\.\\d+(?:\\.\\d+)?)(?:\\s|$)");

    private final List<String> lines;
    private final Optional<String> problem;

    DeviceReport(List<String> lines, Optional<String> problem) {
        this.lines = List.copyOf(lines);
        this.problem = problem;
    }

    /** Prepares the libraries (as the engine would), probes, and reads back what got loaded. */
    public static DeviceReport collect() {
        HostLibraries libs = CudaLibraries.prepare();
        HostProbe.Result probe = HostProbe.probe(libs);
        List<GpuProbe.Gpu> gpus = List.of();
        HostFindings f = probe.findings();
        if (f.driverBindingProblem() == null && f.cuInitError() == null && f.gpuCount() > 0) {
            gpus = GpuProbe.probe().gpus();
        }
        String module = kernelModuleVersion(readOrNull("/proc/driver/nvidia/version"));
        return build(libs, probe, gpus, ProcMaps.self(), module);
    }

    /** The report from its parts (pure, for tests). */
    static DeviceReport build(HostLibraries libs, HostProbe.Result probe, List<GpuProbe.Gpu> gpus, ProcMaps maps,
                              String kernelModule) {
        HostFindings f = probe.findings();
        HostProbe.Versions v = probe.versions();
        List<String> out = new ArrayList<>();
        Optional<String> driverFile = maps.first("libcuda.so").map(Path::toString)
                .or(() -> libs.driver().map(d -> d.file().toString()));
        if (driverFile.isEmpty() && f.driverCuda() <= 0) {
            out.add("driver: not found (no libcuda.so.1)");
        } else {
            out.add("driver: " + (kernelModule != null ? "NVIDIA " + kernelModule + ", " : "")
                    + (f.driverCuda() > 0 ? "supports CUDA " + CudaVersions.cuda(f.driverCuda())
                    : "CUDA version unknown") + " (" + driverFile.orElse("libcuda.so.1") + ")");
        }
        for (GpuProbe.Gpu g : gpus) {
            out.add(g.toString());
        }
        out.add("host path: " + hostPath(libs));
        out.add("cuBLAS: " + cublasLine(libs, v, maps));
        out.add("cuDNN: " + cudnnLine(libs, v, maps));
        if (f.requiredPtxIsa() != null) {
            int need = CudaVersions.firstCudaForIsa(f.requiredPtxIsa());
            out.add("kernels: PTX ISA " + f.requiredPtxIsa()
                    + (need > 0 ? ", JIT-compiled by drivers for CUDA " + CudaVersions.cuda(need) + " or newer" : ""));
        }
        libs.notes().forEach(n -> out.add("note: " + n));
        return new DeviceReport(out, HostCheck.firstProblem(f));
    }

    public List<String> lines() {
        return lines;
    }

    /** Why the GPU engine cannot run here, one line; empty when it can. */
    public Optional<String> problem() {
        return problem;
    }

    static String hostPath(HostLibraries libs) {
        return switch (libs.cublasRoute()) {
            case CUBLAS_12 -> "CUDA 12 libraries (cuBLAS 12 used directly)";
            case CUBLAS_13_FORWARDED -> "CUDA 13 libraries (cuBLAS 13 through the bundled libcublas.so.12 forwarder)";
            case NONE -> "none (no usable cuBLAS)";
        };
    }

    private static String cublasLine(HostLibraries libs, HostProbe.Versions v, ProcMaps maps) {
        if (libs.cublas().isEmpty()) {
            return libs.cublas13().isPresent() ? "libcublas.so.13 found at " + libs.cublas13().get().file()
                    + " but not usable (see below)" : "not found";
        }
        Found c = libs.cublas().get();
        StringBuilder s = new StringBuilder();
        s.append(v.cublas() > 0 ? v.cublasText() : "version unknown");
        if (v.cublasCuda() > 0) {
            s.append(" (built for CUDA ").append(CudaVersions.cuda(v.cublasCuda())).append(')');
        }
        s.append(", ").append(loadedFile(maps, "libcublas.so.", c)).append(" [found via ").append(c.via()).append(']');
        libs.forwarder().ifPresent(fw -> s.append(", through ").append(fw));
        return s.toString();
    }

    private static String cudnnLine(HostLibraries libs, HostProbe.Versions v, ProcMaps maps) {
        if (libs.cudnn().isEmpty()) {
            return "not found";
        }
        Found c = libs.cudnn().get();
        StringBuilder s = new StringBuilder();
        s.append(v.cudnn() > 0 ? CudaVersions.cudnn(v.cudnn()) : "version unknown");
        if (v.cudnnCuda() > 0) {
            s.append(" (built for CUDA ").append(CudaVersions.cuda(v.cudnnCuda())).append(')');
        }
        s.append(", ").append(loadedFile(maps, "libcudnn.so.", c)).append(" [found via ").append(c.via()).append(']');
        int parts = maps.named("libcudnn_").size();
        if (parts > 0) {
            s.append(", ").append(parts).append(" sub-libraries loaded");
        }
        return s.toString();
    }

    /** The file actually mapped for a library (symlinks resolved), else the path the search found. */
    private static String loadedFile(ProcMaps maps, String prefix, Found found) {
        return maps.first(prefix).map(Path::toString).orElse(found.file().toString());
    }

    /** "550.54.14" from /proc/driver/nvidia/version's first line; null when absent. */
    static String kernelModuleVersion(String procVersion) {
        if (procVersion == null) {
            return null;
        }
        Matcher m = KERNEL_MODULE.matcher(procVersion);
        return m.find() ? m.group(1) : null;
    }

    private static String readOrNull(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
