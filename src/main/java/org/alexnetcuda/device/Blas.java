package org.alexnetcuda.device;

import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * The cuBLAS calls of the fully connected layers, column-major as cuBLAS is (a row-major R x C matrix is the
 * column-major C x R matrix with leading dimension C). Alpha and beta are host values (CUBLAS_POINTER_MODE_HOST).
 */
public interface Blas {
    /** cublasOperation_t. */
    enum Op { N, T }

    /** cublasMath_t: DEFAULT (FP32 with FMA), TF32 tensor ops. */
    enum MathMode { DEFAULT, TF32 }

    /**
     * cublasSetStream. Like cuBLAS, this also resets the workspace to cuBLAS's own default (cuBLAS API reference,
     * cublasSetStream), so {@link #setWorkspace} comes after it.
     */
    void setStream(Stream stream);

    /**
     * cublasSetWorkspace: the scratch memory of the following calls, instead of the workspace cuBLAS allocates
     * itself, which during a stream capture puts allocation and free nodes into the graph. The pointer is aligned
     * to 256 bytes (cuBLAS refuses less with CUBLAS_STATUS_INVALID_VALUE).
     */
    void setWorkspace(DevicePtr workspace, long bytes);

    /** cublasSetMathMode. */
    void setMathMode(MathMode mode);

    /** cublasSgemm: C = alpha * op(A) * op(B) + beta * C, op(A) m x k, op(B) k x n, C m x n. */
    void sgemm(Op transA, Op transB, int m, int n, int k, float alpha, DevicePtr a, int lda, DevicePtr b, int ldb,
               float beta, DevicePtr c, int ldc);

    /** cublasSgemv: y = alpha * op(A) * x + beta * y, A m x n. */
    void sgemv(Op trans, int m, int n, float alpha, DevicePtr a, int lda, DevicePtr x, int incx, float beta,
               DevicePtr y, int incy);

    /**
     * cublasGemmEx with A, B and C all of {@code type} (CUDA_R_32F, CUDA_R_16F or CUDA_R_16BF), compute type
     * CUBLAS_COMPUTE_32F (FP32 accumulation; alpha and beta host floats) and CUBLAS_GEMM_DEFAULT: C = alpha * op(A)
     * * op(B) + beta * C, op(A) m x k, op(B) k x n, C m x n. With 16-bit types cuBLAS uses tensor cores; the result
     * is rounded to {@code type} once, when stored.
     */
    void gemm(StorageFormat type, Op transA, Op transB, int m, int n, int k, float alpha, DevicePtr a, int lda,
              DevicePtr b, int ldb, float beta, DevicePtr c, int ldc);
}
