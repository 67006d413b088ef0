package org.alexnetcuda.kernels;

import static jcuda.driver.CUjit_option.CU_JIT_ERROR_LOG_BUFFER;
import static jcuda.driver.CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.driver.JITOptions;

/**
 * Loads the project's PTX modules from the jar (resources {@code /ptx/<module>.ptx}, generated from
 * native-kernels/ and committed in cuda/ptx) into the current CUDA context, and finds their kernels.
 *
 * <p>The driver JIT-compiles the PTX for the GPU at load time. The PTX says {@code .version 8.0} and
 * {@code .target sm_75}, so any driver for CUDA 12.0 (R525) or newer can load it on a Turing or newer GPU. When it
 * cannot, the failure becomes a {@link PtxLoadException} with a one-line message naming the PTX ISA, the driver's
 * CUDA version and what to do, with the JIT's error log appended (see {@link #describeLoadFailure}).
 *
 * <p>Needs a current context on the calling thread (the device layer makes one). Not for concurrent use from
 * several threads without external ordering: calls are synchronized, but CUDA contexts are per thread.
 */
public final class PtxModules implements AutoCloseable {
    /** Where the PTX lies on the classpath (the pom maps cuda/ptx there). */
    public static final String RESOURCE_DIR = "/ptx/";
    private static final int LOG_BYTES = 16 * 1024;

    private final Map<String, CUmodule> modules = new HashMap<>();
    private final Map<String, CUfunction> functions = new HashMap<>();

    /** The kernel {@code name} of {@code module}, loading the module on first use. */
    public synchronized CUfunction function(String module, String name) {
        String key = module + "." + name;
        CUfunction f = functions.get(key);
        if (f == null) {
            f = new CUfunction();
            int rc = JCudaDriver.cuModuleGetFunction(f, module(module), name);
            if (rc != CUresult.CUDA_SUCCESS) {
                throw new IllegalStateException("no kernel '" + name + "' in " + resource(module) + ": "
                        + CUresult.stringFor(rc) + " (is the committed PTX stale? make -C native-kernels check)");
            }
            functions.put(key, f);
        }
        return f;
    }

    /** The loaded module, loading it on first use. */
    public synchronized CUmodule module(String module) {
        CUmodule m = modules.get(module);
        if (m == null) {
            m = load(module);
            modules.put(module, m);
        }
        return m;
    }

    /** Loads every module that {@link KernelCatalog} names and finds every kernel: fails early, at start-up. */
    public void loadAll() {
        for (Kernel k : KernelCatalog.all()) {
            function(k.module(), k.name());
        }
    }

    private static CUmodule load(String module) {
        String ptx = readPtx(module);
        // The driver reads PTX as a NUL-terminated string.
        byte[] image = (ptx + '\0').getBytes(StandardCharsets.US_ASCII);
        JITOptions jit = new JITOptions();
        jit.putBytes(CU_JIT_ERROR_LOG_BUFFER, new byte[LOG_BYTES]);
        jit.putInt(CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, LOG_BYTES);
        CUmodule m = new CUmodule();
        // cuModuleLoadDataJIT returns the CUresult and never throws, even with JCuda exceptions enabled.
        int rc = JCudaDriver.cuModuleLoadDataJIT(m, Pointer.to(image), jit);
        if (rc != CUresult.CUDA_SUCCESS) {
            int[] version = {-1};
            if (JCudaDriver.cuDriverGetVersion(version) != CUresult.CUDA_SUCCESS) {
                version[0] = -1;
            }
            String log = jit.getString(CU_JIT_ERROR_LOG_BUFFER);
            throw new PtxLoadException(describeLoadFailure(module, directive(ptx, "version"),
                    directive(ptx, "target"), rc, version[0], log), rc);
        }
        return m;
    }

    @Override
    public synchronized void close() {
        for (CUmodule m : modules.values()) {
            JCudaDriver.cuModuleUnload(m);
        }
        modules.clear();
        functions.clear();
    }

    /** The classpath resource of a module. */
    public static String resource(String module) {
        return RESOURCE_DIR + module + ".ptx";
    }

    /** The text of {@code /ptx/<module>.ptx}. */
    public static String readPtx(String module) {
        try (InputStream in = PtxModules.class.getResourceAsStream(resource(module))) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + resource(module)
                        + " is not on the classpath (the jar is built with cuda/ptx mapped to /ptx)");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource(module), e);
        }
    }

    /** The operand of a PTX module directive, e.g. directive(ptx, "version") = "8.0"; "?" if absent. */
    public static String directive(String ptx, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*\\." + Pattern.quote(name) + "\\s+(\\S+)").matcher(ptx);
        return m.find() ? m.group(1) : "?";
    }

    /**
     * The one-line message for a failed module load.
     *
     * @param driverVersion cuDriverGetVersion's value (e.g. 12020 for CUDA 12.2), or negative if unknown
     * @param jitLog        the JIT error log, possibly empty or null
     */
    public static String describeLoadFailure(String module, String ptxVersion, String target, int result,
                                             int driverVersion, String jitLog) {
        String driver = driverVersion < 0 ? "unknown"
                : "CUDA " + driverVersion / 1000 + "." + driverVersion % 1000 / 10;
        String needs = minimumCudaForPtxIsa(ptxVersion);
        StringBuilder s = new StringBuilder("cannot load ").append(resource(module)).append(": ")
                .append(CUresult.stringFor(result)).append(" (").append(result).append("): ");
        if (result == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION) {
            s.append("the NVIDIA driver (").append(driver).append(") is too old for PTX ISA .version ")
                    .append(ptxVersion).append(" (.target ").append(target).append(")");
            if (needs != null) {
                s.append(", which needs a driver for CUDA ").append(needs).append(" or newer");
            }
            s.append("; update the NVIDIA driver");
        } else if (result == CUresult.CUDA_ERROR_INVALID_PTX) {
            s.append("the JIT compiler of the NVIDIA driver (").append(driver).append(") rejected PTX .version ")
                    .append(ptxVersion).append(" .target ").append(target)
                    .append(" (a GPU older than the target, or a driver too old for the PTX)");
        } else {
            s.append("PTX .version ").append(ptxVersion).append(" .target ").append(target).append(", driver ")
                    .append(driver);
        }
        String log = jitLog == null ? "" : jitLog.strip().replaceAll("\\s*\\R\\s*", " | ");
        if (!log.isEmpty()) {
            s.append("; JIT log: ").append(log);
        }
        return s.toString();
    }

    /**
     * The first CUDA release whose driver JITs a PTX ISA version (NVIDIA's PTX ISA release notes), or null when
     * unknown: 8.0 = CUDA 12.0 (R525), 8.5 = 12.5, 9.0 = 13.0.
     */
    public static String minimumCudaForPtxIsa(String isa) {
        return switch (isa) {
            case "7.0" -> "11.0";
            case "7.1" -> "11.1";
            case "7.2" -> "11.2";
            case "7.3" -> "11.3";
            case "7.4" -> "11.4";
            case "7.5" -> "11.5";
            case "7.6" -> "11.6";
            case "7.7" -> "11.7";
            case "7.8" -> "11.8";
            case "8.0" -> "12.0";
            case "8.1" -> "12.1";
            case "8.2" -> "12.2";
            case "8.3" -> "12.3";
            case "8.4" -> "12.4";
            case "8.5" -> "12.5";
            case "8.6" -> "12.7";
            case "8.7" -> "12.8";
            case "8.8" -> "12.9";
            case "9.0" -> "13.0";
            default -> null;
        };
    }
}
