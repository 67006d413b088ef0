package org.alexnetcuda.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Running the project's shell scripts from tests: a Python to give them, and their exit code and output. */
final class Scripts {
    private Scripts() {
    }

    record Result(int code, String output) {
    }

    /** The first of the given Pythons that runs, or null. */
    static String firstWorkingPython(String... pythons) {
        for (String p : pythons) {
            try {
                if (run(new ProcessBuilder(p, "--version")).code == 0) {
                    return p;
                }
            } catch (Exception e) {
                // not installed: try the next
            }
        }
        return null;
    }

    /** The whole command that runs alexnet-cuda from the test classpath (the jar does not exist before package). */
    static String alexnetOnClasspath() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return java + " -cp " + System.getProperty("java.class.path") + " " + Main.class.getName();
    }

    /** Runs to the end (at most 300 s) with stdin from /dev/null and stderr merged into the output. */
    static Result run(ProcessBuilder pb) throws Exception {
        pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        byte[] bytes = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + pb.command());
        }
        return new Result(p.exitValue(), new String(bytes, StandardCharsets.UTF_8));
    }

    static Result run(List<String> cmd) throws Exception {
        return run(new ProcessBuilder(cmd));
    }
}
