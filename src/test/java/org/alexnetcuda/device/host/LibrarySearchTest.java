package org.alexnetcuda.device.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.alexnetcuda.device.host.LibrarySearch.Found;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search order on a fake file system: override, LD_LIBRARY_PATH, ld.so.cache, then install locations. */
class LibrarySearchTest {
    @TempDir
    Path root;

    private Path lib(String dir, String name) throws IOException {
        Path d = root.resolve(dir);
        Files.createDirectories(d);
        return Files.writeString(d.resolve(name), "not really a library");
    }

    private LibrarySearch search(Map<String, String> env, LdCache cache) {
        return LibrarySearch.of(env, null, root.resolve("home").toString(), root, cache);
    }

    @Test
    void findsNothingOnAnEmptyHost() {
        assertEquals(Optional.empty(), search(Map.of(), LdCache.empty()).find("libcublas.so.12"));
    }

    @Test
    void ldLibraryPathComesBeforeTheCacheAndIsVisibleToTheLinker() throws IOException {
        Path inPath = lib("ldpath", "libcublas.so.12");
        Path inCache = lib("usr/lib/x86_64-linux-gnu", "libcublas.so.12");
        LdCache cache = LdCache.parse("\tlibcublas.so.12 (libc6,x86-64) => " + inCache + "\n");
        Found f = search(Map.of("LD_LIBRARY_PATH", root.resolve("missing") + ":" + root.resolve("ldpath")), cache)
                .find("libcublas.so.12").orElseThrow();
        assertEquals(inPath, f.file());
        assertEquals("LD_LIBRARY_PATH", f.via());
        assertTrue(f.linkerVisible());

        Found c = search(Map.of(), cache).find("libcublas.so.12").orElseThrow();
        assertEquals(inCache, c.file());
        assertEquals("ld.so.cache", c.via());
        assertTrue(c.linkerVisible());
    }

    @Test
    void overrideComesFirstAndMustBeLoadedByPath() throws IOException {
        lib("ldpath", "libcudnn.so.9");
        Path mine = lib("mine", "libcudnn.so.9");
        Found f = search(Map.of(LibrarySearch.PATH_ENV, root.resolve("mine").toString(),
                "LD_LIBRARY_PATH", root.resolve("ldpath").toString()), LdCache.empty()).find("libcudnn.so.9")
                .orElseThrow();
        assertEquals(mine, f.file());
        assertFalse(f.linkerVisible());
        Found p = LibrarySearch.of(Map.of(), root.resolve("mine").toString(), null, root, LdCache.empty())
                .find("libcudnn.so.9").orElseThrow();
        assertEquals("-D" + LibrarySearch.PATH_PROPERTY, p.via());
    }

    @Test
    void cudaToolkitDirectoriesNewestFirst() throws IOException {
        lib("usr/local/cuda-12.4/lib64", "libcublas.so.12");
        Path newest = lib("usr/local/cuda-12.10/lib64", "libcublas.so.12");
        lib("usr/local/cuda-12.6/lib64", "libcublas.so.12");
        Found f = search(Map.of(), LdCache.empty()).find("libcublas.so.12").orElseThrow();
        assertEquals(newest, f.file());
        assertEquals("/usr/local/cuda-12.10", f.via());
        assertFalse(f.linkerVisible());
    }

    @Test
    void cudaHomeBeforeUsrLocalCuda() throws IOException {
        lib("usr/local/cuda/lib64", "libcublas.so.13");
        Path home = lib("opt/cuda13/targets/x86_64-linux/lib", "libcublas.so.13");
        Found f = search(Map.of("CUDA_HOME", root.resolve("opt/cuda13").toString()), LdCache.empty())
                .find("libcublas.so.13").orElseThrow();
        assertEquals(home, f.file());
        assertEquals("CUDA_HOME", f.via());
    }

    @Test
    void pythonWheelsOfAVenvAndOfTheUser() throws IOException {
        Path venvLib = lib("venv/lib/python3.12/site-packages/nvidia/cu13/lib", "libcublas.so.13");
        Path userLib = lib("home/.local/lib/python3.11/site-packages/nvidia/cudnn/lib", "libcudnn.so.9");
        Path distLib = lib("usr/lib/python3/dist-packages/nvidia/cublas/lib", "libcublas.so.12");
        LibrarySearch s = search(Map.of("VIRTUAL_ENV", root.resolve("venv").toString()), LdCache.empty());
        Found c13 = s.find("libcublas.so.13").orElseThrow();
        assertEquals(venvLib, c13.file());
        assertEquals("Python venv (python3.12, nvidia/cu13)", c13.via());
        assertEquals(userLib, s.find("libcudnn.so.9").orElseThrow().file());
        assertEquals(distLib, s.find("libcublas.so.12").orElseThrow().file());
    }

    @Test
    void companionsBesideALibrary() throws IOException {
        Path lt = lib("wheel", "libcublasLt.so.13");
        lib("wheel", "libcublas.so.13");
        LibrarySearch s = search(Map.of(LibrarySearch.PATH_ENV, root.resolve("wheel").toString()), LdCache.empty());
        Found c = s.find("libcublas.so.13").orElseThrow();
        assertEquals(lt, LibrarySearch.beside(c, "libcublasLt.so.13").orElseThrow().file());
        assertEquals(Optional.empty(), LibrarySearch.beside(c, "libcublasLt.so.12"));
    }
}
