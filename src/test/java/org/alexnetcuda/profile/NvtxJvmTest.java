package org.alexnetcuda.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NVTX library for real, in child JVMs (a loaded JNI library and NVTX's one-time tool lookup are per process):
 * built by cuda/nvtx/build.sh and packaged by the build, it loads, costs nothing without a tool (NVTX answers
 * NO_TOOL), and with a stand-in tool injected as Nsight Systems injects itself (NVTX_INJECTION64_PATH) the ranges and
 * marks reach the tool in order. Skipped, with the reason printed, where gcc or the nvtx3 headers are missing.
 */
class NvtxJvmTest {
    @TempDir
    Path tmp;

    private record Run(int code, String output) {
    }

    @Test
    void thePackagedLibraryLoadsAndIsANoOpWithoutATool() throws Exception {
        skipUnless(Nvtx.class.getResource(Nvtx.RESOURCE) != null,
                "libalexnet-nvtx.so was not built into target/classes (the build printed why)");
        Run r = child(List.of(), Map.of());
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("enabled true status on"), r.output());
        assertTrue(r.output().contains("push returned " + Nvtx.NO_TOOL), r.output());
        assertTrue(r.output().contains("pop returned " + Nvtx.NO_TOOL), r.output());
        assertTrue(r.output().contains("off push returned " + Nvtx.OFF), r.output());
    }

    @Test
    void rangesAndMarksReachAnInjectedTool() throws Exception {
        Path include = nvtxInclude();
        skipUnless(onPath("gcc"), "gcc is not installed");
        skipUnless(include != null, "nvtx3/nvToolsExt.h not found (CUDA toolkit headers, or set NVTX_INCLUDE)");
        Path nvtxDir = Path.of(System.getProperty("basedir", ".")).resolve("cuda/nvtx").toAbsolutePath();
        Path lib = tmp.resolve("lib");
        Run build = run(List.of("sh", nvtxDir.resolve("build.sh").toString(), tmp.resolve("work").toString(),
                lib.toString(), System.getProperty("java.home")), Map.of("NVTX_INCLUDE", include.toString()));
        assertEquals(0, build.code(), build.output());
        Path tool = tmp.resolve("libfake-nvtx-tool.so");
        Run cc = run(List.of("gcc", "-O2", "-std=gnu11", "-fPIC", "-shared", "-Wall", "-Wextra", "-Werror",
                "-I" + include, "-o", tool.toString(), nvtxDir.resolve("test/fake_tool.c").toString()), Map.of());
        assertEquals(0, cc.code(), cc.output());

        Run r = child(List.of(lib.resolve("libalexnet-nvtx.so").toString()),
                Map.of("NVTX_INJECTION64_PATH", tool.toString()));
        assertEquals(0, r.code(), r.output());
        List<String> lines = r.output().lines().filter(l -> l.startsWith("nvtx ") || l.contains("returned")).toList();
        assertEquals(List.of("nvtx tool attached", "nvtx push 0 train step 7", "push returned 0",
                "nvtx push 1 conv2 backward", "push returned 1", "nvtx mark checkpoint", "nvtx pop 1", "pop returned 1",
                "nvtx pop 0", "pop returned 0", "off push returned " + Nvtx.OFF), lines, r.output());
    }

    private Run child(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), NvtxChild.class.getName()));
        cmd.addAll(args);
        return run(cmd, env);
    }

    private static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("NVTX_INJECTION64_PATH");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Where nvtx3/ is, searched as build.sh searches; null if nowhere. */
    private static Path nvtxInclude() {
        List<String> dirs = new ArrayList<>();
        for (String v : new String[] {"NVTX_INCLUDE", "CUDA_HOME", "CUDA_PATH"}) {
            String d = System.getenv(v);
            if (d != null && !d.isEmpty()) {
                dirs.add(v.equals("NVTX_INCLUDE") ? d : d + "/include");
            }
        }
        dirs.addAll(List.of("/usr/local/cuda/include", "/usr/include", "/opt/cuda/include"));
        for (String d : dirs) {
            if (Files.isRegularFile(Path.of(d, "nvtx3", "nvToolsExt.h"))) {
                return Path.of(d);
            }
        }
        return null;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void skipUnless(boolean ok, String reason) {
        if (!ok) {
            System.out.println("SKIPPED (" + reason + ")");
        }
        Assumptions.assumeTrue(ok, reason);
    }
}
