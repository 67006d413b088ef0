/*
 * libcublas.so.12 (or .13: the same source, built twice) of the host stand-in: the cuBLAS functions the program
 * calls, decoded for org.alexnetcuda.device.standin (bridge.h), which runs them on the simulator. Alpha and beta
 * are read here from host memory (CUBLAS_POINTER_MODE_HOST, the only mode the stand-in takes); matrices are device
 * pointers, i.e. simulator addresses. Library identity (version, CUDA version) is this build's: STANDIN_CUBLAS_MAJOR.
 */
#include "bridge.h"

#ifndef STANDIN_CUBLAS_MAJOR
#error "STANDIN_CUBLAS_MAJOR (12 or 13) must be defined"
#endif

typedef int cublasStatus_t;
typedef void *cublasHandle_t;
typedef void *cudaStream_t;

enum {
    CUBLAS_STATUS_SUCCESS = 0,
    CUBLAS_STATUS_INVALID_VALUE = 7,
};

/* cuBLAS 12.6.x or 13.0.x: the versions of the toolkits these layouts stand for. */
#if STANDIN_CUBLAS_MAJOR == 12
#define VERSION_MINOR 6
#define CUDART_VERSION 12060
#else
#define VERSION_MINOR 0
#define CUDART_VERSION 13000
#endif

#define CALL(name, ...)                                                                                       \
    int64_t a[] = { __VA_ARGS__ };                                                                            \
    int rc = standin_call(STANDIN_CUBLAS, name, a, STANDIN_COUNT(a), NULL, 0)

cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)
{
    if (handle == NULL) {
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    CALL("cublasCreate", 0);
    if (rc == CUBLAS_STATUS_SUCCESS) {
        *handle = STANDIN_PTR(cublasHandle_t, a[0]);
    }
    return rc;
}

cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)
{
    CALL("cublasDestroy", STANDIN_WORD(handle));
    return rc;
}

cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t stream)
{
    CALL("cublasSetStream", STANDIN_WORD(handle), STANDIN_WORD(stream));
    return rc;
}

cublasStatus_t cublasSetPointerMode_v2(cublasHandle_t handle, int mode)
{
    CALL("cublasSetPointerMode", STANDIN_WORD(handle), mode);
    return rc;
}

cublasStatus_t cublasSetWorkspace_v2(cublasHandle_t handle, void *workspace, size_t bytes)
{
    CALL("cublasSetWorkspace", STANDIN_WORD(handle), STANDIN_WORD(workspace), (int64_t) bytes);
    return rc;
}

cublasStatus_t cublasSetMathMode(cublasHandle_t handle, int mode)
{
    CALL("cublasSetMathMode", STANDIN_WORD(handle), mode);
    return rc;
}

cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int *version)
{
    if (version == NULL) {
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    CALL("cublasGetVersion", STANDIN_WORD(handle));
    if (rc == CUBLAS_STATUS_SUCCESS) {
        *version = STANDIN_CUBLAS_MAJOR * 10000 + VERSION_MINOR * 100;
    }
    return rc;
}

/* libraryPropertyType: MAJOR_VERSION 0, MINOR_VERSION 1, PATCH_LEVEL 2. Needs no handle, so no call to Java. */
cublasStatus_t cublasGetProperty(int type, int *value)
{
    if (value == NULL || type < 0 || type > 2) {
        return CUBLAS_STATUS_INVALID_VALUE;
    }
    *value = type == 0 ? STANDIN_CUBLAS_MAJOR : type == 1 ? VERSION_MINOR : 0;
    return CUBLAS_STATUS_SUCCESS;
}

size_t cublasGetCudartVersion(void)
{
    return CUDART_VERSION;
}

/* A host float scalar, or NULL: the stand-in answers a NULL scalar with CUBLAS_STATUS_INVALID_VALUE. */
#define SCALARS(alpha, beta)                                                                                  \
    if ((alpha) == NULL || (beta) == NULL) {                                                                  \
        return CUBLAS_STATUS_INVALID_VALUE;                                                                   \
    }

cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, int transa, int transb, int m, int n, int k,
                              const float *alpha, const float *A, int lda, const float *B, int ldb,
                              const float *beta, float *C, int ldc)
{
    SCALARS(alpha, beta);
    CALL("cublasSgemm", STANDIN_WORD(handle), transa, transb, m, n, k, standin_f32(*alpha), STANDIN_WORD(A), lda,
         STANDIN_WORD(B), ldb, standin_f32(*beta), STANDIN_WORD(C), ldc);
    return rc;
}

cublasStatus_t cublasSgemv_v2(cublasHandle_t handle, int trans, int m, int n, const float *alpha,
                              const float *A, int lda, const float *x, int incx, const float *beta, float *y,
                              int incy)
{
    SCALARS(alpha, beta);
    CALL("cublasSgemv", STANDIN_WORD(handle), trans, m, n, standin_f32(*alpha), STANDIN_WORD(A), lda,
         STANDIN_WORD(x), incx, standin_f32(*beta), STANDIN_WORD(y), incy);
    return rc;
}

/* Alpha and beta are floats for CUBLAS_COMPUTE_32F, the compute type the program uses; Java refuses others. */
cublasStatus_t cublasGemmEx(cublasHandle_t handle, int transa, int transb, int m, int n, int k, const void *alpha,
                            const void *A, int Atype, int lda, const void *B, int Btype, int ldb, const void *beta,
                            void *C, int Ctype, int ldc, int computeType, int algo)
{
    SCALARS(alpha, beta);
    CALL("cublasGemmEx", STANDIN_WORD(handle), transa, transb, m, n, k, standin_f32(*(const float *) alpha),
         STANDIN_WORD(A), Atype, lda, STANDIN_WORD(B), Btype, ldb, standin_f32(*(const float *) beta),
         STANDIN_WORD(C), Ctype, ldc, computeType, algo);
    return rc;
}
