package org.alexnetcuda.device.jcuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.alexnetcuda.device.DeviceException;
import org.junit.jupiter.api.Test;

/** Status numbers to names, and the exception a failed call becomes. */
class StatusNamesTest {
    @Test
    void cudnn9NumbersNotTheCudnn8OnesOfTheJavaApi() {
        assertEquals("CUDNN_STATUS_SUCCESS", CudnnStatus.name(0));
        assertEquals("CUDNN_STATUS_BAD_PARAM", CudnnStatus.name(2000));
        assertEquals("CUDNN_STATUS_BAD_PARAM_NULL_POINTER", CudnnStatus.name(2002));
        assertEquals("CUDNN_STATUS_NOT_SUPPORTED", CudnnStatus.name(3000));
        assertEquals("CUDNN_STATUS_NOT_SUPPORTED_ARCH_MISMATCH", CudnnStatus.name(3007));
        assertEquals("CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED", CudnnStatus.name(4003));
        assertEquals("CUDNN_STATUS_EXECUTION_FAILED", CudnnStatus.name(5000));
        assertEquals("CUDNN_STATUS_NOT_INITIALIZED", CudnnStatus.name(1001));
        assertEquals("CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED", CudnnStatus.name(1008));
        // cuDNN 8's BAD_PARAM was 3: under cuDNN 9 that number means nothing.
        assertEquals("cudnnStatus 3", CudnnStatus.name(3));
        // A sub-code newer than the table is named by its group.
        assertEquals("CUDNN_STATUS_BAD_PARAM (2099)", CudnnStatus.name(2099));
        // JCudnn's JNI reports its own failures as -1 (JCudnn_common.hpp).
        assertEquals("JCUDNN_STATUS_INTERNAL_ERROR", CudnnStatus.name(-1));
        assertEquals("cudnnStatus 268435457", CudnnStatus.name(0x10000001));
    }

    @Test
    void cublasNames() {
        assertEquals("CUBLAS_STATUS_INVALID_VALUE", CublasStatus.name(7));
        assertEquals("CUBLAS_STATUS_NOT_SUPPORTED", CublasStatus.name(15));
        assertEquals("CUBLAS_STATUS_LICENSE_ERROR", CublasStatus.name(16));
        assertEquals("cublasStatus 99", CublasStatus.name(99));
        assertEquals("JCUBLAS_STATUS_INTERNAL_ERROR", CublasStatus.name(0x10000001));
    }

    @Test
    void failedCallsBecomeDeviceExceptions() {
        Check.cudnn(0, "cudnnCreate", null);
        Check.cublas(0, "cublasCreate", null);
        DeviceException d = assertThrows(DeviceException.class,
                () -> Check.cudnn(2000, "cudnnConvolutionForward", "algo 1 64x3x227x227"));
        assertEquals("cudnnConvolutionForward: CUDNN_STATUS_BAD_PARAM (algo 1 64x3x227x227)", d.getMessage());
        assertEquals("CUDNN_STATUS_BAD_PARAM", d.status());
        DeviceException b = assertThrows(DeviceException.class, () -> Check.cublas(13, "cublasSgemm", null));
        assertEquals("cublasSgemm: CUBLAS_STATUS_EXECUTION_FAILED", b.getMessage());
    }

    @Test
    void cudaResultNames() {
        // CUresult.stringFor is pure Java: no driver needed.
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", Check.cuName(2));
        assertEquals("CUDA_ERROR_UNSUPPORTED_PTX_VERSION", Check.cuName(222));
        // JCudaDriver's JNI reports its own failures as 0x80000001 (JCudaDriver_common.hpp).
        assertEquals("JCUDA_INTERNAL_ERROR", Check.cuName(0x80000001));
        DeviceException e = assertThrows(DeviceException.class, () -> Check.cu(2, "cuMemAlloc", "1024 bytes"));
        assertEquals("cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY (1024 bytes)", e.getMessage());
    }
}
