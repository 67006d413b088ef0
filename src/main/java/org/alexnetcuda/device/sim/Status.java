package org.alexnetcuda.device.sim;

/**
 * The status names the simulator reports, spelled as the CUDA driver, cuBLAS and cuDNN spell them, so that an
 * error seen in CI reads the same as the one the real libraries would give.
 */
final class Status {
    private Status() {
    }

    static final String INVALID_VALUE = "CUDA_ERROR_INVALID_VALUE";
    static final String OUT_OF_MEMORY = "CUDA_ERROR_OUT_OF_MEMORY";
    static final String ILLEGAL_ADDRESS = "CUDA_ERROR_ILLEGAL_ADDRESS";
    static final String MISALIGNED_ADDRESS = "CUDA_ERROR_MISALIGNED_ADDRESS";
    static final String LAUNCH_FAILED = "CUDA_ERROR_LAUNCH_FAILED";
    static final String INVALID_HANDLE = "CUDA_ERROR_INVALID_HANDLE";
    static final String INVALID_CONTEXT = "CUDA_ERROR_INVALID_CONTEXT";
    static final String ILLEGAL_STATE = "CUDA_ERROR_ILLEGAL_STATE";
    static final String NOT_SUPPORTED = "CUDA_ERROR_NOT_SUPPORTED";
    static final String CAPTURE_UNSUPPORTED = "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED";
    static final String CAPTURE_INVALIDATED = "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED";
    static final String CAPTURE_IMPLICIT = "CUDA_ERROR_STREAM_CAPTURE_IMPLICIT";

    static final String CUBLAS_INVALID_VALUE = "CUBLAS_STATUS_INVALID_VALUE";

    static final String CUDNN_BAD_PARAM = "CUDNN_STATUS_BAD_PARAM";
    static final String CUDNN_NOT_SUPPORTED = "CUDNN_STATUS_NOT_SUPPORTED";
}
