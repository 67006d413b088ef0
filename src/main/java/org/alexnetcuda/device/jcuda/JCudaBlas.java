package org.alexnetcuda.device.jcuda;

import org.alexnetcuda.device.Blas;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.tensor.StorageFormat;

import jcuda.cudaDataType;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasComputeType;
import jcuda.jcublas.cublasGemmAlgo;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasPointerMode;
import jcuda.runtime.cudaStream_t;

/**
 * cuBLAS through JCublas2 12.6.0 (cublasCreate_v2, cublasSetStream_v2, cublasSetWorkspace_v2, cublasSetMathMode,
 * cublasSgemm_v2, cublasSgemv_v2, cublasGemmEx, cublasGetVersion_v2, cublasDestroy_v2: the names JCublas2's native
 * library imports). On a
 * CUDA 13 host these reach libcublas.so.13 through the forwarder; their C signatures are the same in cuBLAS 12
 * and 13 (docs/cuda13-compat.md).
 *
 * <p>Alpha and beta are host scalars (CUBLAS_POINTER_MODE_HOST, set explicitly): cuBLAS reads them before the
 * call returns, also while a stream is being captured, where their values become part of the graph.
 */
final class JCudaBlas implements Blas {
    private final JCudaContext context;
    private final cublasHandle handle = new cublasHandle();
    private final HostValues scalars = new HostValues();
    private boolean closed;

    JCudaBlas(JCudaContext context) {
        this.context = context;
        context.enter();
        JCublas2.setExceptionsEnabled(false);
        Check.cublas(JCublas2.cublasCreate(handle), "cublasCreate", null);
        Check.cublas(JCublas2.cublasSetPointerMode(handle, cublasPointerMode.CUBLAS_POINTER_MODE_HOST),
                "cublasSetPointerMode", "host");
    }

    @Override
    public void setStream(Stream stream) {
        context.enter();
        Check.cublas(JCublas2.cublasSetStream(handle, new cudaStream_t(JCudaHandles.cu(stream))), "cublasSetStream",
                null);
    }

    @Override
    public void setWorkspace(DevicePtr workspace, long bytes) {
        context.enter();
        Check.cublas(JCublas2.cublasSetWorkspace(handle, JCudaPointers.of(workspace), bytes), "cublasSetWorkspace",
                bytes + " bytes at " + workspace);
    }

    /** DEFAULT keeps FP32 GEMMs in FP32 (cuBLAS uses TF32 only when asked); TF32 allows TF32 tensor cores. */
    @Override
    public void setMathMode(MathMode mode) {
        context.enter();
        int m = mode == MathMode.TF32 ? cublasMath.CUBLAS_TF32_TENSOR_OP_MATH : cublasMath.CUBLAS_DEFAULT_MATH;
        Check.cublas(JCublas2.cublasSetMathMode(handle, m), "cublasSetMathMode", mode.toString());
    }

    @Override
    public void sgemm(Op transA, Op transB, int m, int n, int k, float alpha, DevicePtr a, int lda, DevicePtr b,
                      int ldb, float beta, DevicePtr c, int ldc) {
        context.enter();
        int rc = JCublas2.cublasSgemm(handle, op(transA), op(transB), m, n, k, scalars.alpha(alpha),
                JCudaPointers.of(a), lda, JCudaPointers.of(b), ldb, scalars.beta(beta),
                JCudaPointers.of(c), ldc);
        Check.cublas(rc, "cublasSgemm", transA + transB.toString() + " m=" + m + " n=" + n + " k=" + k + " lda="
                + lda + " ldb=" + ldb + " ldc=" + ldc);
    }

    @Override
    public void sgemv(Op trans, int m, int n, float alpha, DevicePtr a, int lda, DevicePtr x, int incx, float beta,
                      DevicePtr y, int incy) {
        context.enter();
        int rc = JCublas2.cublasSgemv(handle, op(trans), m, n, scalars.alpha(alpha), JCudaPointers.of(a),
                lda, JCudaPointers.of(x), incx, scalars.beta(beta), JCudaPointers.of(y), incy);
        Check.cublas(rc, "cublasSgemv", trans + " m=" + m + " n=" + n + " lda=" + lda);
    }

    /**
     * cublasGemmEx through JCublas2.cublasGemmEx_new, whose JNI function calls the C cublasGemmEx with the
     * cublasComputeType_t given. Not JCublas2.cublasGemmEx: in 12.6.0 that one takes a pre-CUDA-11 compute type
     * (a cudaDataType), maps it in Java (cublasMigrateComputeType: CUDA_R_32F becomes CUBLAS_COMPUTE_32F, or
     * _PEDANTIC under CUBLAS_PEDANTIC_MATH) and answers CUBLAS_STATUS_NOT_SUPPORTED (15) for CUBLAS_COMPUTE_32F
     * itself. Checked with javap -c on jcublas-12.6.0.jar and objdump of libJCublas2-12.6.0-linux-x86_64.so
     * (Java_jcuda_jcublas_JCublas2_cublasGemmEx_1newNative calls cublasGemmEx@plt).
     *
     * <p>Constants (jcuda 12.6.0's cudaDataType, jcublas 12.6.0's cublasComputeType and cublasGemmAlgo, the values
     * of library_types.h and cublas_api.h): CUDA_R_32F 0, CUDA_R_16F 2, CUDA_R_16BF 14, CUBLAS_COMPUTE_32F 68,
     * CUBLAS_GEMM_DEFAULT -1. Alpha and beta are host floats, the scale type of CUBLAS_COMPUTE_32F.
     */
    @Override
    public void gemm(StorageFormat type, Op transA, Op transB, int m, int n, int k, float alpha, DevicePtr a, int lda,
                     DevicePtr b, int ldb, float beta, DevicePtr c, int ldc) {
        context.enter();
        int t = dataType(type);
        int rc = JCublas2.cublasGemmEx_new(handle, op(transA), op(transB), m, n, k, scalars.alpha(alpha),
                JCudaPointers.of(a), t, lda, JCudaPointers.of(b), t, ldb, scalars.beta(beta),
                JCudaPointers.of(c), t, ldc, cublasComputeType.CUBLAS_COMPUTE_32F, cublasGemmAlgo.CUBLAS_GEMM_DEFAULT);
        Check.cublas(rc, "cublasGemmEx", type + " " + transA + transB + " m=" + m + " n=" + n + " k=" + k + " lda="
                + lda + " ldb=" + ldb + " ldc=" + ldc);
    }

    /** cudaDataType_t of a storage format: CUDA_R_32F 0, CUDA_R_16F 2, CUDA_R_16BF 14. */
    static int dataType(StorageFormat type) {
        return switch (type) {
            case F32 -> cudaDataType.CUDA_R_32F;
            case F16 -> cudaDataType.CUDA_R_16F;
            case BF16 -> cudaDataType.CUDA_R_16BF;
        };
    }

    /** cublasGetVersion: e.g. 120604 for 12.6.4, 130100 for 13.1.0 (major * 10000 + minor * 100 + patch). */
    int version() {
        context.enter();
        int[] v = new int[1];
        Check.cublas(JCublas2.cublasGetVersion(handle, v), "cublasGetVersion", null);
        return v[0];
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            context.enter();
            Check.cublas(JCublas2.cublasDestroy(handle), "cublasDestroy", null);
        }
    }

    private static int op(Op op) {
        return op == Op.T ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
    }
}
