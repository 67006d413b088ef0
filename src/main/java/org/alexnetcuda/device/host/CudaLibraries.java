package org.alexnetcuda.device.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.alexnetcuda.device.host.LibrarySearch.Found;

/**
 * Makes the CUDA libraries that JCuda's native libraries link (libcuda.so.1, libcublas.so.12, libcudnn.so.9)
 * loadable, before any JCuda class that needs them is initialised.
 *
 * <p>The mechanism is the dynamic linker's: when JCuda loads e.g. libJCublas2 (System.load, i.e. dlopen), the
 * linker satisfies its NEEDED libcublas.so.12 with an already loaded object whose DT_SONAME is libcublas.so.12
 * before it searches any directory (glibc, elf/dl-load.c, _dl_map_object; checked by cuda/compat's test and by
 * ForwarderJvmTest). So a library found outside the linker's search path is loaded here by absolute path,
 * and on a host with only cuBLAS 13 the forwarder, whose soname is libcublas.so.12, is loaded in its place.
 * RTLD_LOCAL (what System.load uses) does not hide it from that match: the match is over all loaded objects.
 *
 * <p>Libraries the linker finds by itself (LD_LIBRARY_PATH, ld.so.cache) are left to it.
 */
public final class CudaLibraries {
    /** Loads a shared library by absolute path; {@link System#load} in the program. */
    public interface Loader {
        void load(Path file);
    }

    /** cuDNN 9's sub-libraries, which libcudnn.so.9 opens by soname when it needs them (cuDNN 9 API overview). */
    static final List<String> CUDNN_PARTS = List.of("libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9",
            "libcudnn_adv.so.9", "libcudnn_heuristic.so.9", "libcudnn_engines_precompiled.so.9",
            "libcudnn_engines_runtime_compiled.so.9");

    private static HostLibraries prepared;

    private CudaLibraries() {
    }

    /** Searches and loads once per process; later calls return the first result. */
    public static synchronized HostLibraries prepare() {
        if (prepared == null) {
            prepared = prepare(LibrarySearch.forThisHost(), file -> System.load(file.toString()),
                    CublasForwarder.packaged(), CublasForwarder::extract);
        }
        return prepared;
    }

    /** The steps of {@link #prepare()} with the search, the loader and the forwarder supplied (for tests). */
    public static HostLibraries prepare(LibrarySearch search, Loader loader, boolean forwarderPackaged,
                                        Supplier<Optional<Path>> forwarderSource) {
        Steps s = new Steps(loader);
        Optional<Found> driver = search.find("libcuda.so.1");
        driver.ifPresent(d -> s.loadUnlessVisible(d, true));

        Optional<Found> cublas12 = search.find("libcublas.so.12");
        Optional<Found> cublas13 = search.find("libcublas.so.13");
        CublasRoute route = CublasRoute.NONE;
        Optional<Found> cublas = Optional.empty();
        Optional<Path> forwarder = Optional.empty();
        if (cublas12.isPresent()) {
            // cuBLAS needs cuBLASLt of the same major version; load it first so cuBLAS's NEEDED finds it.
            LibrarySearch.beside(cublas12.get(), "libcublasLt.so.12").ifPresent(lt -> s.loadUnlessVisible(lt, true));
            if (s.loadUnlessVisible(cublas12.get(), true)) {
                route = CublasRoute.CUBLAS_12;
                cublas = cublas12;
            }
        } else if (cublas13.isPresent() && forwarderPackaged) {
            LibrarySearch.beside(cublas13.get(), "libcublasLt.so.13").ifPresent(lt -> s.loadUnlessVisible(lt, true));
            if (s.loadUnlessVisible(cublas13.get(), true)) {
                forwarder = forwarderSource.get();
                if (forwarder.isPresent() && s.load(forwarder.get(), "the libcublas.so.12 forwarder", true)) {
                    route = CublasRoute.CUBLAS_13_FORWARDED;
                    cublas = cublas13;
                }
            }
        }

        Optional<Found> cudnn = search.find("libcudnn.so.9");
        if (cudnn.isPresent() && !cudnn.get().linkerVisible()) {
            s.loadParts(cudnn.get());
        }
        cudnn.ifPresent(c -> s.loadUnlessVisible(c, true));
        return new HostLibraries(driver, route, cublas, forwarder, forwarderPackaged, cublas13, cudnn,
                List.copyOf(s.failures), List.copyOf(s.notes), search.describe());
    }

    /** Loading with failures collected as one line each. */
    private static final class Steps {
        private final Loader loader;
        private final List<String> failures = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        Steps(Loader loader) {
            this.loader = loader;
        }

        boolean loadUnlessVisible(Found f, boolean needed) {
            return f.linkerVisible() || load(f.file(), f.soname(), needed);
        }

        boolean load(Path file, String what, boolean needed) {
            try {
                loader.load(file);
                return true;
            } catch (UnsatisfiedLinkError | SecurityException e) {
                (needed ? failures : notes).add(what + " at " + file + " did not load: " + firstLine(e.getMessage()));
                return false;
            }
        }

        /**
         * Loads cuDNN's sub-libraries from the directory of libcudnn.so.9, which the linker does not search, in
         * as many rounds as their dependencies on each other need; one that still fails is only noted.
         */
        void loadParts(Found cudnn) {
            List<Found> pending = new ArrayList<>();
            for (String part : CUDNN_PARTS) {
                LibrarySearch.beside(cudnn, part).ifPresent(pending::add);
            }
            boolean progress = true;
            List<String> lastErrors = new ArrayList<>();
            while (!pending.isEmpty() && progress) {
                progress = false;
                lastErrors.clear();
                for (Found part : List.copyOf(pending)) {
                    try {
                        loader.load(part.file());
                        pending.remove(part);
                        progress = true;
                    } catch (UnsatisfiedLinkError e) {
                        lastErrors.add(part.soname() + " at " + part.file() + " did not load: "
                                + firstLine(e.getMessage()));
                    }
                }
            }
            if (!pending.isEmpty()) {
                notes.addAll(lastErrors);
            }
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
