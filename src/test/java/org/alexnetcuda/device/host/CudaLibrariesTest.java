package org.alexnetcuda.device.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which route is taken and what is loaded, in which order, with a recording loader on a fake file system (the
 * real loading is exercised by ForwarderJvmTest).
 */
class CudaLibrariesTest {
    @TempDir
    Path root;

    private final List<String> loaded = new ArrayList<>();

    private Path lib(String dir, String name) throws IOException {
        Path d = root.resolve(dir);
        Files.createDirectories(d);
        return Files.writeString(d.resolve(name), "x");
    }

    private HostLibraries prepare(Map<String, String> env, LdCache cache, boolean packaged, Set<String> failing) {
        LibrarySearch s = LibrarySearch.of(env, null, null, root, cache);
        Path forwarder = root.resolve("tmp/libcublas12to13.so");
        return CudaLibraries.prepare(s, file -> {
            String name = file.getFileName().toString();
            if (failing.contains(name)) {
                throw new UnsatisfiedLinkError(file + ": cannot open shared object file: missing dependency");
            }
            loaded.add(name);
        }, packaged, () -> packaged ? Optional.of(forwarder) : Optional.empty());
    }

    private Map<String, String> dir(String d) {
        return Map.of(LibrarySearch.PATH_ENV, root.resolve(d).toString());
    }

    @Test
    void cuda12LibrariesAreUsedDirectly() throws IOException {
        lib("w", "libcublasLt.so.12");
        lib("w", "libcublas.so.12");
        lib("w", "libcublas.so.13");
        lib("w", "libcudnn.so.9");
        HostLibraries h = prepare(dir("w"), LdCache.empty(), true, Set.of());
        assertEquals(CublasRoute.CUBLAS_12, h.cublasRoute());
        assertEquals("libcublas.so.12", h.cublas().orElseThrow().soname());
        assertTrue(h.cublas13().isPresent(), "reported even when unused");
        assertEquals(Optional.empty(), h.forwarder());
        assertEquals(List.of("libcublasLt.so.12", "libcublas.so.12", "libcudnn.so.9"), loaded);
        assertEquals(List.of(), h.loadFailures());
    }

    @Test
    void cuda13OnlyGoesThroughTheForwarderLoadedLast() throws IOException {
        lib("w", "libcublasLt.so.13");
        lib("w", "libcublas.so.13");
        HostLibraries h = prepare(dir("w"), LdCache.empty(), true, Set.of());
        assertEquals(CublasRoute.CUBLAS_13_FORWARDED, h.cublasRoute());
        assertEquals("libcublas.so.13", h.cublas().orElseThrow().soname());
        assertTrue(h.forwarder().isPresent());
        // cuBLASLt before cuBLAS (its NEEDED), both before the forwarder, whose constructor dlopens .so.13.
        assertEquals(List.of("libcublasLt.so.13", "libcublas.so.13", "libcublas12to13.so"), loaded);
    }

    @Test
    void librariesTheLinkerFindsAreLeftToIt() throws IOException {
        Path c13 = lib("usr/lib/x86_64-linux-gnu", "libcublas.so.13");
        Path dnn = lib("usr/lib/x86_64-linux-gnu", "libcudnn.so.9");
        lib("usr/lib/x86_64-linux-gnu", "libcudnn_ops.so.9");
        LdCache cache = LdCache.parse("\tlibcublas.so.13 (libc6,x86-64) => " + c13
                + "\n\tlibcudnn.so.9 (libc6,x86-64) => " + dnn + "\n");
        HostLibraries h = prepare(Map.of(), cache, true, Set.of());
        assertEquals(CublasRoute.CUBLAS_13_FORWARDED, h.cublasRoute());
        assertEquals(List.of("libcublas12to13.so"), loaded, "only the forwarder needs loading by path");
        assertTrue(h.cudnn().orElseThrow().linkerVisible());
    }

    @Test
    void withoutThePackagedForwarderCuda13IsNotUsable() throws IOException {
        lib("w", "libcublas.so.13");
        HostLibraries h = prepare(dir("w"), LdCache.empty(), false, Set.of());
        assertEquals(CublasRoute.NONE, h.cublasRoute());
        assertTrue(h.cublas13().isPresent());
        assertFalse(h.forwarderPackaged());
        assertEquals(List.of(), loaded);
    }

    @Test
    void cudnnSubLibrariesLoadInDependencyRoundsAndFailuresAreNotes() throws IOException {
        lib("d", "libcudnn.so.9");
        for (String part : CudaLibraries.CUDNN_PARTS) {
            lib("d", part);
        }
        // graph loads in round one; ops "needs" graph: fail until graph is in.
        List<String> order = loaded;
        LibrarySearch s = LibrarySearch.of(dir("d"), null, null, root, LdCache.empty());
        HostLibraries h = CudaLibraries.prepare(s, file -> {
            String name = file.getFileName().toString();
            if (name.equals("libcudnn_engines_runtime_compiled.so.9")) {
                throw new UnsatisfiedLinkError("libnvrtc.so.13: cannot open shared object file");
            }
            if (!name.equals("libcudnn_graph.so.9") && !order.contains("libcudnn_graph.so.9")) {
                throw new UnsatisfiedLinkError("libcudnn_graph.so.9: cannot open shared object file");
            }
            order.add(name);
        }, true, Optional::empty);
        assertEquals("libcudnn_graph.so.9", order.get(0));
        assertEquals("libcudnn.so.9", order.get(order.size() - 1));
        assertEquals(CudaLibraries.CUDNN_PARTS.size() - 1 + 1, order.size(), order.toString());
        assertEquals(List.of(), h.loadFailures());
        assertEquals(1, h.notes().size(), h.notes().toString());
        assertTrue(h.notes().get(0).contains("libnvrtc.so.13"), h.notes().get(0));
    }

    @Test
    void aNeededLibraryThatFailsToLoadIsAFailure() throws IOException {
        lib("w", "libcublas.so.12");
        HostLibraries h = prepare(dir("w"), LdCache.empty(), true, Set.of("libcublas.so.12"));
        assertEquals(CublasRoute.NONE, h.cublasRoute());
        assertEquals(1, h.loadFailures().size());
        assertTrue(h.loadFailures().get(0).startsWith("libcublas.so.12 at "), h.loadFailures().get(0));
        assertTrue(h.loadFailures().get(0).endsWith("missing dependency"), h.loadFailures().get(0));
    }
}
