package org.alexnetcuda.device.standin;

import org.alexnetcuda.device.Blas;
import org.alexnetcuda.device.Blas.Op;
import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.device.sim.SimBlas;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * The cuBLAS functions of the stand-in's libcublas (cuda/standin/cublas.c), on the simulator's cuBLAS. The
 * simulator has one cuBLAS handle, so the stand-in serves one live handle at a time (the program makes one per
 * device); a new handle starts as cublasCreate's does.
 *
 * <p>Decoded and checked here: cublasOperation_t (N 0, T 1, C 2, which is T for real data), cublasPointerMode_t
 * (HOST 0 only: cublas.c reads alpha and beta from host memory), cublasMath_t (DEFAULT 0, TF32_TENSOR_OP 3),
 * cudaDataType_t (R_32F 0, R_16F 2, R_16BF 14), cublasComputeType_t (COMPUTE_32F 68) and the GEMM algorithm
 * (DEFAULT -1). Values from cublas_api.h and library_types.h of CUDA 12 and 13, where they agree.
 */
final class BlasCalls {
    private static final String INVALID_VALUE = "CUBLAS_STATUS_INVALID_VALUE";
    private static final String NOT_SUPPORTED = "CUBLAS_STATUS_NOT_SUPPORTED";
    private static final String NOT_INITIALIZED = "CUBLAS_STATUS_NOT_INITIALIZED";

    private final Standin standin;
    private long live;

    /** A cuBLAS handle; the state it sets lives in the simulator's cuBLAS. */
    private static final class Handle {
    }

    BlasCalls(Standin standin) {
        this.standin = standin;
    }

    void call(String f, Words a) {
        SimBlas blas = standin.device(f, NOT_INITIALIZED).blas();
        if (f.equals("cublasCreate")) {
            if (live != 0) {
                throw new DeviceException(f, NOT_SUPPORTED, "the host stand-in serves one cuBLAS handle at a time; "
                        + HandleTable.hex(live) + " is live");
            }
            blas.reset();
            live = standin.handles().add(new Handle());
            a.set(0, live);
            return;
        }
        handle(f, a.word(0));
        switch (f) {
            case "cublasDestroy" -> {
                standin.handles().remove(f, live, "cuBLAS handle", NOT_INITIALIZED);
                live = 0;
            }
            case "cublasSetStream" -> blas.setStream(a.word(1) == 0 ? null
                    : standin.handles().get(f, a.word(1), Stream.class, "stream", INVALID_VALUE));
            case "cublasSetPointerMode" -> {
                if (a.i(1) != 0) {
                    throw new DeviceException(f, NOT_SUPPORTED, "pointer mode " + a.i(1)
                            + "; the stand-in reads alpha and beta from host memory (CUBLAS_POINTER_MODE_HOST)");
                }
            }
            case "cublasSetWorkspace" -> blas.setWorkspace(a.ptr(1), a.word(2));
            case "cublasSetMathMode" -> blas.setMathMode(switch (a.i(1)) {
                case 0 -> Blas.MathMode.DEFAULT;
                case 3 -> Blas.MathMode.TF32;
                default -> throw new DeviceException(f, NOT_SUPPORTED, "math mode " + a.i(1));
            });
            case "cublasGetVersion" -> {
                // The version itself is the C library's (cublas.c): it belongs to the layout, not the simulator.
            }
            case "cublasSgemm" -> blas.sgemm(op(f, a.i(1)), op(f, a.i(2)), a.i(3), a.i(4), a.i(5), a.f(6), a.ptr(7),
                    a.i(8), a.ptr(9), a.i(10), a.f(11), a.ptr(12), a.i(13));
            case "cublasSgemv" -> blas.sgemv(op(f, a.i(1)), a.i(2), a.i(3), a.f(4), a.ptr(5), a.i(6), a.ptr(7),
                    a.i(8), a.f(9), a.ptr(10), a.i(11));
            case "cublasGemmEx" -> gemmEx(f, a, blas);
            default -> throw new DeviceException(f, NOT_SUPPORTED, "not implemented by the host stand-in");
        }
    }

    /**
     * cublasGemmEx(handle, transa, transb, m, n, k, alpha, A, Atype, lda, B, Btype, ldb, beta, C, Ctype, ldc,
     * computeType, algo): one data type for A, B and C, FP32 compute, the default algorithm.
     */
    private void gemmEx(String f, Words a, SimBlas blas) {
        StorageFormat type = type(f, a.i(8));
        if (type(f, a.i(11)) != type || type(f, a.i(15)) != type) {
            throw new DeviceException(f, NOT_SUPPORTED, "A, B and C of types " + a.i(8) + ", " + a.i(11) + ", "
                    + a.i(15) + "; the stand-in takes one type for all three");
        }
        if (a.i(17) != 68) {
            throw new DeviceException(f, NOT_SUPPORTED, "compute type " + a.i(17) + " (only CUBLAS_COMPUTE_32F, 68)");
        }
        if (a.i(18) != -1) {
            throw new DeviceException(f, NOT_SUPPORTED, "algorithm " + a.i(18) + " (only CUBLAS_GEMM_DEFAULT, -1)");
        }
        blas.gemm(type, op(f, a.i(1)), op(f, a.i(2)), a.i(3), a.i(4), a.i(5), a.f(6), a.ptr(7), a.i(9), a.ptr(10),
                a.i(12), a.f(13), a.ptr(14), a.i(16));
    }

    private void handle(String f, long h) {
        if (h == 0 || h != live) {
            throw new DeviceException(f, NOT_INITIALIZED, "cuBLAS handle " + HandleTable.hex(h) + " is not live");
        }
        standin.handles().get(f, h, Handle.class, "cuBLAS handle", NOT_INITIALIZED);
    }

    /** Forgets the handle (its context is gone). */
    void forget() {
        live = 0;
    }

    private static Op op(String f, int op) {
        return switch (op) {
            case 0 -> Op.N;
            case 1, 2 -> Op.T;
            default -> throw new DeviceException(f, INVALID_VALUE, "operation " + op);
        };
    }

    private static StorageFormat type(String f, int type) {
        return switch (type) {
            case 0 -> StorageFormat.F32;
            case 2 -> StorageFormat.F16;
            case 14 -> StorageFormat.BF16;
            default -> throw new DeviceException(f, NOT_SUPPORTED, "data type " + type);
        };
    }
}
