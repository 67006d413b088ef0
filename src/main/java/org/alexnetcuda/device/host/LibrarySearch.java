package org.alexnetcuda.device.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a CUDA library file by soname, in the order the dynamic linker would (LD_LIBRARY_PATH, then its cache),
 * then in the places CUDA libraries are commonly installed without being on the linker's path: CUDA toolkit
 * directories and the lib directories of NVIDIA's Python wheels (nvidia-cublas-cu12, nvidia-cudnn-cu13, ...).
 *
 * <p>A user override comes first: the system property {@code alexnet.cuda.libPath} or the environment variable
 * {@code ALEXNET_CUDA_LIB_PATH}, each a ':'-separated list of directories.
 */
public final class LibrarySearch {
    /** Property and environment variable naming extra library directories, searched first. */
    public static final String PATH_PROPERTY = "alexnet.cuda.libPath";
    public static final String PATH_ENV = "ALEXNET_CUDA_LIB_PATH";

    /**
     * A library file found.
     *
     * @param linkerVisible the dynamic linker finds this file by soname on its own (LD_LIBRARY_PATH or its
     *                      cache); otherwise the program must load it by path before anything needs it
     * @param via           where it was found, for the report: "LD_LIBRARY_PATH", "ld.so.cache", "CUDA_HOME", ...
     */
    public record Found(String soname, Path file, String via, boolean linkerVisible) {
        public Path dir() {
            return file.getParent();
        }
    }

    private record Place(Path dir, String via, boolean linkerVisible) {
    }

    private final List<Place> first;
    private final LdCache cache;
    private final List<Place> then;

    private LibrarySearch(List<Place> first, LdCache cache, List<Place> then) {
        this.first = first;
        this.cache = cache;
        this.then = then;
    }

    /** The search on this host: its environment, ld.so.cache and file system. */
    public static LibrarySearch forThisHost() {
        return of(System.getenv(), System.getProperty(PATH_PROPERTY), System.getProperty("user.home"), Path.of("/"),
                LdCache.load());
    }

    /**
     * The search for the given environment; fixed install locations are looked up under {@code root}, so tests
     * can lay out a fake file system.
     */
    public static LibrarySearch of(Map<String, String> env, String pathProperty, String userHome, Path root,
                                   LdCache cache) {
        List<Place> first = new ArrayList<>();
        addPathList(first, pathProperty, "-D" + PATH_PROPERTY, false);
        addPathList(first, env.get(PATH_ENV), PATH_ENV, false);
        addPathList(first, env.get("LD_LIBRARY_PATH"), "LD_LIBRARY_PATH", true);

        List<Place> then = new ArrayList<>();
        for (String dir : new String[] {"usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu", "usr/lib64", "lib64",
                "usr/lib", "lib"}) {
            then.add(new Place(root.resolve(dir), "/" + dir, false));
        }
        for (String var : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
            String home = env.get(var);
            if (home != null && !home.isBlank()) {
                then.add(new Place(Path.of(home, "lib64"), var, false));
                then.add(new Place(Path.of(home, "targets", "x86_64-linux", "lib"), var, false));
            }
        }
        then.add(new Place(root.resolve("usr/local/cuda/lib64"), "/usr/local/cuda", false));
        then.add(new Place(root.resolve("usr/local/cuda/targets/x86_64-linux/lib"), "/usr/local/cuda", false));
        for (Path versioned : cudaVersionDirs(root.resolve("usr/local"))) {
            then.add(new Place(versioned.resolve("lib64"), "/usr/local/" + versioned.getFileName(), false));
        }
        then.add(new Place(root.resolve("usr/lib/wsl/lib"), "WSL driver directory", false));
        String venv = env.get("VIRTUAL_ENV");
        if (venv != null && !venv.isBlank()) {
            addWheelDirs(then, Path.of(venv, "lib"), "Python venv");
        }
        String conda = env.get("CONDA_PREFIX");
        if (conda != null && !conda.isBlank()) {
            then.add(new Place(Path.of(conda, "lib"), "CONDA_PREFIX", false));
            addWheelDirs(then, Path.of(conda, "lib"), "conda Python");
        }
        if (userHome != null && !userHome.isBlank()) {
            addWheelDirs(then, Path.of(userHome, ".local", "lib"), "user Python packages");
        }
        addWheelDirs(then, root.resolve("usr/local/lib"), "Python packages");
        addWheelDirs(then, root.resolve("usr/lib"), "Python packages");
        addWheelDirs(then, root.resolve("opt/conda/lib"), "conda Python");
        return new LibrarySearch(List.copyOf(first), cache, List.copyOf(then));
    }

    /** The first file named {@code soname}: user override, LD_LIBRARY_PATH, ld.so.cache, then the other places. */
    public Optional<Found> find(String soname) {
        for (Place p : first) {
            Optional<Found> f = in(p, soname);
            if (f.isPresent()) {
                return f;
            }
        }
        Optional<Path> cached = cache.find(soname);
        if (cached.isPresent() && Files.isRegularFile(cached.get())) {
            return Optional.of(new Found(soname, cached.get(), "ld.so.cache", true));
        }
        for (Place p : then) {
            Optional<Found> f = in(p, soname);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    /** A file named {@code soname} in the same directory as {@code near} (a library's companions). */
    public static Optional<Found> beside(Found near, String soname) {
        Path f = near.dir().resolve(soname);
        return Files.isRegularFile(f) ? Optional.of(new Found(soname, f, near.via(), near.linkerVisible()))
                : Optional.empty();
    }

    /** For messages: where the search looks, in order. */
    public String describe() {
        return "LD_LIBRARY_PATH, ld.so.cache, /usr/lib*, CUDA_HOME, /usr/local/cuda*, Python nvidia-* wheels; add "
                + "a directory with " + PATH_ENV + " or -D" + PATH_PROPERTY;
    }

    private static Optional<Found> in(Place p, String soname) {
        Path f = p.dir().resolve(soname);
        return Files.isRegularFile(f) ? Optional.of(new Found(soname, f, p.via(), p.linkerVisible()))
                : Optional.empty();
    }

    private static void addPathList(List<Place> out, String list, String via, boolean linkerVisible) {
        if (list == null) {
            return;
        }
        for (String dir : list.split(":")) {
            if (!dir.isBlank()) {
                out.add(new Place(Path.of(dir), via, linkerVisible));
            }
        }
    }

    /** /usr/local/cuda-13.0, /usr/local/cuda-12.6, ...: newest first. */
    private static List<Path> cudaVersionDirs(Path usrLocal) {
        return list(usrLocal).filter(p -> p.getFileName().toString().matches("cuda-\\d+(\\.\\d+)*"))
                .sorted(Comparator.comparing((Path p) -> versionKey(p.getFileName().toString().substring(5)))
                        .reversed())
                .toList();
    }

    private static String versionKey(String version) {
        StringBuilder b = new StringBuilder();
        for (String part : version.split("\\.")) {
            b.append(String.format("%05d", Integer.parseInt(part)));
        }
        return b.toString();
    }

    /**
     * NVIDIA's wheels put their libraries under site-packages/nvidia/NAME/lib (NAME = cublas, cudnn, cu13, ...);
     * {@code libDir} is a prefix's lib directory holding python3.X/{site,dist}-packages.
     */
    private static void addWheelDirs(List<Place> out, Path libDir, String via) {
        List<Path> packageDirs = new ArrayList<>();
        for (Path py : list(libDir).filter(p -> p.getFileName().toString().startsWith("python3"))
                .sorted(Comparator.reverseOrder()).toList()) {
            packageDirs.add(py.resolve("site-packages"));
            packageDirs.add(py.resolve("dist-packages"));
        }
        for (Path pkgs : packageDirs) {
            for (Path nv : list(pkgs.resolve("nvidia")).sorted().toList()) {
                out.add(new Place(nv.resolve("lib"), via + " (" + pkgs.getParent().getFileName() + ", nvidia/"
                        + nv.getFileName() + ")", false));
            }
        }
    }

    private static Stream<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).toList().stream();
        } catch (IOException | SecurityException e) {
            return Stream.empty();
        }
    }
}
