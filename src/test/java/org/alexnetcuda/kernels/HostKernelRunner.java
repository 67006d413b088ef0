package org.alexnetcuda.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The host build of native-kernels/ (build/kernel-runner), made once per test JVM with
 * {@code make -C native-kernels host} (incremental, so an edited .cu is always rebuilt).
 *
 * <p>Where make or the C++ compiler is missing, {@link #path()} aborts the calling test through a JUnit
 * assumption (reported as skipped, with the reason printed); a failing build with the tools present is an error.
 *
 * <p>{@code -Dkernels.sanitize=true} builds and uses build/kernel-runner-asan instead (AddressSanitizer and UBSan):
 * every buffer is allocated at exactly its size, so any kernel access out of bounds fails the test.
 *
 * <p>{@link #plantedPath()} is build/kernel-runner-planted ({@code make host-planted}): the same runner plus the
 * test-only kernels with planted bugs of native-kernels/host/test/planted_bugs.cu ({@link HostShimChecksTest}).
 */
final class HostKernelRunner {
    private static Path runner;
    private static Path plantedRunner;
    private static String skipReason;

    private HostKernelRunner() {
    }

    static synchronized Path path() {
        if (runner == null && skipReason == null) {
            build();
        }
        if (skipReason != null) {
            System.out.println("SKIPPED host kernel tests: " + skipReason);
            Assumptions.abort(skipReason);
        }
        return runner;
    }

    static synchronized Path plantedPath() {
        path();  // skips where the tools are missing
        if (plantedRunner == null) {
            make("host-planted");
            plantedRunner = nativeDir().resolve("build/kernel-runner-planted");
        }
        return plantedRunner;
    }

    static Path nativeDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).resolve("native-kernels");
    }

    private static void build() {
        Path dir = nativeDir();
        if (!Files.isRegularFile(dir.resolve("Makefile"))) {
            skipReason = "native-kernels/Makefile not found under " + dir.getParent();
            return;
        }
        String cxx = System.getenv().getOrDefault("CXX", "g++");
        for (String tool : List.of("make", cxx)) {
            if (!runs(List.of(tool, "--version"))) {
                skipReason = "'" + tool + "' is not available, so the kernels cannot be built for the host";
                return;
            }
        }
        boolean sanitize = Boolean.getBoolean("kernels.sanitize");
        make(sanitize ? "host-asan" : "host");
        runner = dir.resolve(sanitize ? "build/kernel-runner-asan" : "build/kernel-runner");
    }

    private static void make(String target) {
        Result r = exec(List.of("make", "-s", "-C", nativeDir().toString(), target), 600);
        if (r.status != 0) {
            throw new AssertionError("make -C native-kernels " + target + " failed (" + r.status + "):\n" + r.output);
        }
    }

    private static boolean runs(List<String> command) {
        try {
            return exec(command, 60).status == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    record Result(int status, String output) {
    }

    /** Runs a command, stdout and stderr merged, failing on timeout. */
    static Result exec(List<String> command, long timeoutSeconds) {
        return exec(command, Map.of(), timeoutSeconds);
    }

    /** {@link #exec(List, long)} with variables set in the environment (a null value removes the variable). */
    static Result exec(List<String> command, Map<String, String> environment, long timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            environment.forEach((k, v) -> {
                if (v == null) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
