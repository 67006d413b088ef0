package org.alexnetcuda.device.jcuda;

import org.alexnetcuda.device.DeviceException;

import jcuda.driver.CUresult;

/**
 * Status checks: every CUDA driver, cuBLAS and cuDNN call's return value goes through one of these, and a
 * failure becomes a {@link DeviceException} naming the call, the status and what it was working on. (JCuda's
 * own exceptions stay disabled, so its messages, which use cuDNN 8 numbers for cuDNN, never appear.)
 */
final class Check {
    /**
     * JCudaDriver's own code for a failure in its JNI layer: JCUDA_INTERNAL_ERROR, 0x80000001 in
     * JCudaDriverJNI/src/JCudaDriver_common.hpp (12.6.0); CUresult.stringFor does not know it.
     */
    static final int JCUDA_DRIVER_INTERNAL_ERROR = 0x80000001;

    private Check() {
    }

    static void cu(int result, String call, String detail) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new DeviceException(call, cuName(result), detail);
        }
    }

    static void cublas(int status, String call, String detail) {
        if (status != 0) {
            throw new DeviceException(call, CublasStatus.name(status), detail);
        }
    }

    static void cudnn(int status, String call, String detail) {
        if (status != 0) {
            throw new DeviceException(call, CudnnStatus.name(status), detail);
        }
    }

    /** CUresult.stringFor, with JCuda's internal JNI error named too. */
    static String cuName(int result) {
        return result == JCUDA_DRIVER_INTERNAL_ERROR ? "JCUDA_INTERNAL_ERROR" : CUresult.stringFor(result);
    }
}
