package org.alexnetcuda.device.jcuda;

import static jcuda.driver.CUjit_option.CU_JIT_ERROR_LOG_BUFFER;
import static jcuda.driver.CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.kernels.PtxSource;

import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.driver.JITOptions;

/**
 * Loads the project's PTX modules ({@link PtxSource}) into the current CUDA context and finds their kernels.
 *
 * <p>The driver JIT-compiles the PTX for the GPU at load time. The PTX says {@code .version 8.0} and
 * {@code .target sm_75}, so any driver for CUDA 12.0 (R525) or newer can load it on a Turing or newer GPU. Every
 * failure is a {@link DeviceException} like any other CUDA call's, with the status name (so the engine's
 * out-of-memory and fault handling see a module load's CUDA_ERROR_OUT_OF_MEMORY as they see cuMemAlloc's), naming
 * the module and the kernel whose first launch loaded it; a refused load says why in words
 * ({@link #describeLoadFailure}) with the JIT's error log appended.
 *
 * <p>Needs a current context on the calling thread (the device layer makes one). Not for concurrent use from
 * several threads without external ordering: calls are synchronized, but CUDA contexts are per thread.
 */
final class PtxModules implements AutoCloseable {
    private static final int LOG_BYTES = 16 * 1024;

    private final Map<String, CUmodule> modules = new LinkedHashMap<>();
    private final Map<String, CUfunction> functions = new LinkedHashMap<>();

    /** The kernel {@code name} of {@code module}, loading the module on first use. */
    synchronized CUfunction function(String module, String name) {
        String key = module + "." + name;
        CUfunction f = functions.get(key);
        if (f == null) {
            CUmodule m = module(module, name);
            f = new CUfunction();
            Check.cu(JCudaDriver.cuModuleGetFunction(f, m, name), "cuModuleGetFunction", "kernel " + name + " in "
                    + PtxSource.resource(module) + "; is the committed PTX stale? make -C native-kernels check");
            functions.put(key, f);
        }
        return f;
    }

    /** The loaded module, loading it on first use (for {@code kernel}'s launch, named in errors). */
    private CUmodule module(String module, String kernel) {
        CUmodule m = modules.get(module);
        if (m == null) {
            m = load(module, kernel);
            modules.put(module, m);
        }
        return m;
    }

    private static CUmodule load(String module, String kernel) {
        return load(module, kernel, PtxSource.read(module));
    }

    /** cuModuleLoadDataEx of {@code ptx} as {@code module}'s text (package-private: tests hand in altered text). */
    static CUmodule load(String module, String kernel, String ptx) {
        // The driver reads PTX as a NUL-terminated string.
        byte[] image = (ptx + '\0').getBytes(StandardCharsets.US_ASCII);
        JITOptions jit = new JITOptions();
        jit.putBytes(CU_JIT_ERROR_LOG_BUFFER, new byte[LOG_BYTES]);
        jit.putInt(CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, LOG_BYTES);
        CUmodule m = new CUmodule();
        // JCuda's cuModuleLoadDataJIT is the driver's cuModuleLoadDataEx with these options; it returns the
        // CUresult and never throws, even with JCuda exceptions enabled.
        int rc = JCudaDriver.cuModuleLoadDataJIT(m, HostValues.image(image), jit);
        if (rc != CUresult.CUDA_SUCCESS) {
            int[] version = {-1};
            if (JCudaDriver.cuDriverGetVersion(version) != CUresult.CUDA_SUCCESS) {
                version[0] = -1;
            }
            throw new DeviceException("cuModuleLoadDataEx", Check.cuName(rc), describeLoadFailure(module, kernel,
                    PtxSource.directive(ptx, "version"), PtxSource.directive(ptx, "target"), rc, version[0],
                    jit.getString(CU_JIT_ERROR_LOG_BUFFER)));
        }
        return m;
    }

    /**
     * Unloads every module; each cuModuleUnload's result is checked, and after all were tried the first failure is
     * thrown (a failed unload means the context is already broken, which the caller should hear of).
     */
    @Override
    public synchronized void close() {
        DeviceException first = null;
        for (Map.Entry<String, CUmodule> e : modules.entrySet()) {
            try {
                Check.cu(JCudaDriver.cuModuleUnload(e.getValue()), "cuModuleUnload", "module "
                        + PtxSource.resource(e.getKey()));
            } catch (DeviceException failure) {
                if (first == null) {
                    first = failure;
                }
            }
        }
        modules.clear();
        functions.clear();
        if (first != null) {
            throw first;
        }
    }

    /**
     * The detail of a failed module load, in words: which module, for which kernel's first launch, what the status
     * means here and, for a too-old driver, which driver is needed.
     *
     * @param driverVersion cuDriverGetVersion's value (e.g. 12020 for CUDA 12.2), or negative if unknown
     * @param jitLog        the JIT error log, possibly empty or null
     */
    static String describeLoadFailure(String module, String kernel, String ptxVersion, String target, int result,
                                      int driverVersion, String jitLog) {
        String driver = driverVersion < 0 ? "unknown"
                : "CUDA " + driverVersion / 1000 + "." + driverVersion % 1000 / 10;
        String needs = minimumCudaForPtxIsa(ptxVersion);
        StringBuilder s = new StringBuilder("loading ").append(PtxSource.resource(module))
                .append(" for the first launch of ").append(kernel).append(": ");
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
    static String minimumCudaForPtxIsa(String isa) {
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
