package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The three descriptions of each kernel's parameters agree: the Java launchers' {@link Kernel} constants, the
 * .entry declarations of the committed PTX (which the GPU runs), and the host build (kernel-runner list, whose
 * types come from the C++ signatures of the same sources). A parameter added to a .cu without updating its
 * launcher, or a kernel missing from either side, fails here.
 */
class KernelSignatureTest {
    private static final Pattern ENTRY = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+\\.(\\w+)\\s+\\w+");

    /** module.kernel -> PTX parameter types, from every committed PTX file. */
    static Map<String, List<String>> ptxEntries() throws IOException {
        Map<String, List<String>> entries = new TreeMap<>();
        Path dir = HostKernelRunner.nativeDir().getParent().resolve("cuda/ptx");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".ptx")).sorted().toList()) {
                String module = f.getFileName().toString().replace(".ptx", "");
                // The jar's copy must be the committed file.
                String ptx = PtxSource.read(module);
                assertEquals(Files.readString(f), ptx, "classpath /ptx/" + module + ".ptx differs from cuda/ptx");
                Matcher m = ENTRY.matcher(ptx);
                while (m.find()) {
                    List<String> types = new ArrayList<>();
                    Matcher p = PARAM.matcher(m.group(2));
                    while (p.find()) {
                        types.add(p.group(1));
                    }
                    entries.put(module + "." + m.group(1), types);
                }
            }
        }
        return entries;
    }

    @Test
    void launchersMatchThePtx() throws IOException {
        Map<String, List<String>> ptx = ptxEntries();
        Map<String, List<String>> java = new TreeMap<>();
        for (Kernel k : KernelCatalog.all()) {
            java.put(k.module() + "." + k.name(), k.params().stream().map(ParamType::ptxType).toList());
        }
        assertEquals(ptx, java, "PTX entries (left) vs Java launchers (right)");
    }

    @Test
    void launchersMatchTheHostBuild() {
        HostKernelRunner.Result r = HostKernelRunner.exec(List.of(HostKernelRunner.path().toString(), "list"), 60);
        assertEquals(0, r.status(), r.output());
        Map<String, List<String>> host = new TreeMap<>();
        for (String line : r.output().strip().split("\\R")) {
            String[] f = line.trim().split("\\s+");
            host.put(f[0] + "." + f[1], List.of(f).subList(3, f.length));
        }
        Map<String, List<String>> java = new TreeMap<>();
        for (Kernel k : KernelCatalog.all()) {
            java.put(k.module() + "." + k.name(), k.params().stream().map(ParamType::runnerName).toList());
        }
        assertEquals(host, java, "host build (left) vs Java launchers (right)");
    }

    @Test
    void everyPtxIsVersion80ForSm75WithoutDebugInfo() {
        for (String module : KernelCatalog.modules()) {
            String ptx = PtxSource.read(module);
            assertEquals("8.0", PtxSource.directive(ptx, "version"), module);
            assertEquals("sm_75", PtxSource.directive(ptx, "target"), module);
            assertTrue(!ptx.contains(".file") && !ptx.contains(".loc"), module + " carries debug line info");
        }
    }
}
