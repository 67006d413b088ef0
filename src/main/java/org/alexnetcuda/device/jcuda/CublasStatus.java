package org.alexnetcuda.device.jcuda;

import java.util.Map;

/**
 * cublasStatus_t names. The numbers are the same in cuBLAS 12 and 13 (compared in the constants generated from
 * both headers, org.bytedeco:cuda 12.6-9.5-1.5.11 and 13.1-9.19-1.5.13; docs/cuda13-compat.md), so one table
 * serves both routes.
 */
public final class CublasStatus {
    /** JCublas2's own code for a failure in its JNI layer (JCublas2JNI/src/JCublas2_common.hpp, 12.6.0). */
    static final int JCUBLAS_INTERNAL_ERROR = 0x10000001;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "CUBLAS_STATUS_SUCCESS"),
            Map.entry(1, "CUBLAS_STATUS_NOT_INITIALIZED"),
            Map.entry(3, "CUBLAS_STATUS_ALLOC_FAILED"),
            Map.entry(7, "CUBLAS_STATUS_INVALID_VALUE"),
            Map.entry(8, "CUBLAS_STATUS_ARCH_MISMATCH"),
            Map.entry(11, "CUBLAS_STATUS_MAPPING_ERROR"),
            Map.entry(13, "CUBLAS_STATUS_EXECUTION_FAILED"),
            Map.entry(14, "CUBLAS_STATUS_INTERNAL_ERROR"),
            Map.entry(15, "CUBLAS_STATUS_NOT_SUPPORTED"),
            Map.entry(16, "CUBLAS_STATUS_LICENSE_ERROR"),
            Map.entry(JCUBLAS_INTERNAL_ERROR, "JCUBLAS_STATUS_INTERNAL_ERROR"));

    private CublasStatus() {
    }

    /** The number of a status name of the table (e.g. for a stand-in that answers with it); -1 if not in it. */
    public static int number(String name) {
        return StatusTable.number(NAMES, name);
    }

    public static String name(int status) {
        String n = NAMES.get(status);
        return n != null ? n : "cublasStatus " + status;
    }
}
