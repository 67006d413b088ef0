package org.alexnetcuda.device.host;

import java.util.Map;
import java.util.TreeMap;

/**
 * Version arithmetic for messages and checks: CUDA versions as the driver reports them (1000 * major + 10 *
 * minor, cuDriverGetVersion), cuDNN versions (cudnnGetVersion), and which PTX ISA a driver can JIT.
 */
public final class CudaVersions {
    /**
     * The first CUDA release (driver) that loads each PTX ISA version, from NVIDIA's PTX ISA release history
     * (PTX ISA document, "Release Notes"; the same mapping is in cuda-python's PTX utilities). Entries before
     * 7.8 are not needed: every CUDA 12 driver loads them, and this program needs CUDA 12.
     */
    private static final TreeMap<Integer, Integer> FIRST_CUDA_FOR_ISA = new TreeMap<>(Map.ofEntries(
            Map.entry(78, 11080), Map.entry(80, 12000), Map.entry(81, 12010), Map.entry(82, 12020),
            Map.entry(83, 12030), Map.entry(84, 12040), Map.entry(85, 12050), Map.entry(86, 12070),
            Map.entry(87, 12080), Map.entry(88, 12090), Map.entry(90, 13000), Map.entry(91, 13010)));

    /** cuBLAS 12 and cuDNN 9 for CUDA 12 need a driver for CUDA 12.0 (R525) or newer. */
    public static final int MIN_DRIVER_CUDA = 12000;

    private CudaVersions() {
    }

    /** "12.4" for 12040; "unknown" for 0. */
    public static String cuda(int version) {
        return version <= 0 ? "unknown" : (version / 1000) + "." + (version % 1000) / 10;
    }

    /** The driver's major CUDA version: 12 for 12040. */
    public static int cudaMajor(int version) {
        return version / 1000;
    }

    /**
     * cudnnGetVersion as text: cuDNN 9 encodes major * 10000 + minor * 100 + patch (cuDNN 9.0.0 release notes),
     * cuDNN 8 and older major * 1000 + minor * 100 + patch.
     */
    public static String cudnn(long version) {
        if (version <= 0) {
            return "unknown";
        }
        if (version >= 90000) {
            return (version / 10000) + "." + (version % 10000) / 100 + "." + version % 100;
        }
        return (version / 1000) + "." + (version % 1000) / 100 + "." + version % 100;
    }

    /** Parses "8.0" to 80; -1 for anything else. */
    public static int isa(String isa) {
        if (isa == null || !isa.matches("\\d+\\.\\d")) {
            return -1;
        }
        int dot = isa.indexOf('.');
        return Integer.parseInt(isa.substring(0, dot)) * 10 + Integer.parseInt(isa.substring(dot + 1));
    }

    /**
     * The oldest driver CUDA version that JITs this PTX ISA ("8.0" → 12000); 0 for ISAs older than 7.8 (any
     * CUDA 12 driver), -1 for an ISA newer than this table knows.
     */
    public static int firstCudaForIsa(String isa) {
        int v = isa(isa);
        if (v < 0) {
            return -1;
        }
        if (v < FIRST_CUDA_FOR_ISA.firstKey()) {
            return 0;
        }
        Integer exact = FIRST_CUDA_FOR_ISA.get(v);
        return exact != null ? exact : -1;
    }

    /** The newest PTX ISA a driver JITs, e.g. "8.4" for 12040; "?" below the table. */
    public static String newestIsaFor(int driverCuda) {
        String best = "?";
        for (Map.Entry<Integer, Integer> e : FIRST_CUDA_FOR_ISA.entrySet()) {
            if (e.getValue() <= driverCuda) {
                best = e.getKey() / 10 + "." + e.getKey() % 10;
            }
        }
        return best;
    }
}
