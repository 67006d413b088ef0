package org.alexnetcuda.device.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Runs the native tool chain for the forwarder tests, skipping (with the reason printed) where it is absent. */
final class NativeTools {
    /** The result of a process: exit code and stdout + stderr. */
    record Run(int code, String output) {
    }

    private NativeTools() {
    }

    static Path compatDir() {
        return Path.of(System.getProperty("basedir", ".")).resolve("cuda/compat").toAbsolutePath();
    }

    /** Skips the calling test, with the reason printed, unless every tool is on the PATH and this is x86-64 Linux. */
    static void assumeTools(String... tools) {
        boolean linux64 = System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64");
        skipUnless(linux64, "the forwarder is x86-64 Linux only");
        for (String tool : tools) {
            skipUnless(onPath(tool), tool + " is not installed");
        }
    }

    static void skipUnless(boolean ok, String reason) {
        if (!ok) {
            System.out.println("SKIPPED (" + reason + ")");
        }
        Assumptions.assumeTrue(ok, reason);
    }

    static boolean onPath(String tool) {
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

    /** Builds the forwarder and the stand-in libraries into {@code out} (make test-binaries). */
    static void buildTestBinaries(Path out) throws IOException, InterruptedException {
        Run r = run(List.of("make", "-s", "-C", compatDir().toString(), "OUT=" + out, "CC=gcc", "test-binaries"),
                Map.of());
        assertEquals(0, r.code(), r.output());
    }

    static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        pb.environment().remove("LD_LIBRARY_PATH");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** A native library from the test classpath (a JCuda natives jar), copied into dir. */
    static Path extract(String resource, Path dir) throws IOException {
        Path so = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (InputStream in = NativeTools.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is not on the test classpath");
            Files.copy(in, so);
        }
        return so;
    }

    /** A dynamic symbol as readelf shows it: its section ("UND" for an import) and name@version. */
    record Symbol(String section, String versionedName) {
        boolean imported() {
            return section.equals("UND");
        }

        String name() {
            int at = versionedName.indexOf('@');
            return at < 0 ? versionedName : versionedName.substring(0, at);
        }
    }

    /** The dynamic symbols of a shared library (readelf --dyn-syms). */
    static List<Symbol> dynamicSymbols(Path so) throws IOException, InterruptedException {
        Run r = run(List.of("readelf", "--dyn-syms", "-W", so.toString()), Map.of());
        assertEquals(0, r.code(), r.output());
        List<Symbol> symbols = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[0].endsWith(":")) {
                symbols.add(new Symbol(f[6], f[7]));
            }
        }
        return symbols;
    }

    /** A committed symbol list: one name a line. */
    static TreeSet<String> symbolList(Path file) throws IOException {
        TreeSet<String> names = new TreeSet<>(Files.readAllLines(file));
        names.remove("");
        return names;
    }
}
