package org.alexnetcuda.device.sim;

import java.nio.ShortBuffer;

import org.alexnetcuda.device.Blas;
import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.math.Gemm;
import org.alexnetcuda.math.Parallel;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * cuBLAS on the CPU, column-major as cuBLAS is. Arguments are validated as cuBLAS validates them
 * (CUBLAS_STATUS_INVALID_VALUE for negative sizes, leading dimensions below the stored rows, zero increments), and
 * every matrix and vector range is checked against its allocation when the call is made. The product runs on the
 * CPU engine's {@link Gemm}, which is row-major: a column-major r x c matrix with leading dimension ld is, in
 * memory, the row-major c x r matrix with the same ld, its transpose. So C = op(A) op(B) is computed as the
 * row-major C^T = op(B)^T op(A)^T, i.e. Gemm with the operands swapped and m and n exchanged.
 *
 * <p>The TF32 math mode is recorded ({@link #mathMode}) but the simulator always computes in FP32, so results on
 * a GPU in TF32 mode differ by TF32's 10-bit mantissa rounding of the inputs.
 *
 * <p>{@link #gemm} (cublasGemmEx, CUBLAS_COMPUTE_32F) on 16-bit matrices reads A, B and C widened exactly to float,
 * runs the same FP32 product as {@link #sgemm} and stores C rounded once to the type: the 16-bit result is exactly
 * the rounding of sgemm's on the widened inputs. The GPU's tensor cores also accumulate in FP32, in another order.
 */
public final class SimBlas implements Blas {
    /** Below this many multiply-adds the product runs on one thread. */
    private static final long PARALLEL_WORK = 1L << 20;

    private final CallLog calls;
    private final SimMemory memory;
    private final SimStreams streams;
    private Stream stream;
    private MathMode mathMode = MathMode.DEFAULT;
    private DevicePtr workspace;
    private long workspaceBytes;

    SimBlas(CallLog calls, SimMemory memory, SimStreams streams) {
        this.calls = calls;
        this.memory = memory;
        this.streams = streams;
    }

    /**
     * The state of a handle cublasCreate has just made: the legacy default stream, cuBLAS's own workspace, the
     * default math mode. The simulator has one cuBLAS handle; the host stand-in calls this when its program creates
     * one (cublasCreate), so a handle never inherits an earlier one's stream or workspace.
     */
    public void reset() {
        calls.enter("cublasCreate");
        stream = null;
        workspace = null;
        workspaceBytes = 0;
        mathMode = MathMode.DEFAULT;
    }

    @Override
    public void setStream(Stream stream) {
        calls.enter("cublasSetStream");
        calls.arguments(stream);
        streams.resolve("cublasSetStream", stream);
        this.stream = stream;
        // cuBLAS: setting the stream resets the workspace to the library's default.
        this.workspace = null;
        this.workspaceBytes = 0;
    }

    @Override
    public void setWorkspace(DevicePtr workspace, long bytes) {
        String call = "cublasSetWorkspace";
        calls.enter(call);
        calls.arguments(workspace, bytes);
        if (bytes < 0 || workspace == null) {
            throw invalid(call, "workspace " + workspace + " of " + bytes + " bytes");
        }
        if (workspace.address() % 256 != 0) {
            throw invalid(call, "workspace " + workspace + " is not aligned to 256 bytes");
        }
        if (bytes > 0) {
            memory.checkAccess("workspace", workspace, bytes, 4);
        }
        this.workspace = workspace;
        this.workspaceBytes = bytes;
    }

    /** The bytes of the workspace set since the last setStream; 0 while cuBLAS would use its own. */
    public long workspaceBytes() {
        return workspaceBytes;
    }

    /** The workspace set since the last setStream, or null while cuBLAS would use its own. */
    public DevicePtr workspace() {
        return workspace;
    }

    @Override
    public void setMathMode(MathMode mode) {
        calls.enter("cublasSetMathMode");
        calls.arguments(mode);
        if (mode == null) {
            throw new DeviceException("cublasSetMathMode", Status.CUBLAS_INVALID_VALUE, "null mode");
        }
        this.mathMode = mode;
    }

    /** The mode last set; the arithmetic is FP32 in every mode. */
    public MathMode mathMode() {
        return mathMode;
    }

    @Override
    public void sgemm(Op transA, Op transB, int m, int n, int k, float alpha, DevicePtr a, int lda, DevicePtr b,
                      int ldb, float beta, DevicePtr c, int ldc) {
        gemm("cublasSgemm", StorageFormat.F32, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public void gemm(StorageFormat type, Op transA, Op transB, int m, int n, int k, float alpha, DevicePtr a, int lda,
                     DevicePtr b, int ldb, float beta, DevicePtr c, int ldc) {
        String call = "cublasGemmEx";
        if (type == null) {
            calls.enter(call);
            calls.arguments(type, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            throw invalid(call, "no data type");
        }
        gemm(call, type, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /** cublasSgemm, or cublasGemmEx with A, B and C of one type and FP32 compute. */
    private void gemm(String call, StorageFormat type, Op transA, Op transB, int m, int n, int k, float alpha,
                      DevicePtr a, int lda, DevicePtr b, int ldb, float beta, DevicePtr c, int ldc) {
        calls.enter(call);
        calls.arguments(type, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        if (transA == null || transB == null) {
            throw invalid(call, "null operation");
        }
        if (m < 0 || n < 0 || k < 0) {
            throw invalid(call, "negative size m=" + m + " n=" + n + " k=" + k);
        }
        // A is stored rowsA x colsA (column-major), B rowsB x colsB.
        int rowsA = transA == Op.N ? m : k;
        int colsA = transA == Op.N ? k : m;
        int rowsB = transB == Op.N ? k : n;
        int colsB = transB == Op.N ? n : k;
        requireLd(call, "lda", lda, rowsA);
        requireLd(call, "ldb", ldb, rowsB);
        requireLd(call, "ldc", ldc, m);
        if (m == 0 || n == 0) {
            return;
        }
        // With alpha == 0 or k == 0, cuBLAS only scales C and never reads A and B.
        boolean readsAB = k > 0 && alpha != 0f;
        int lenA = readsAB ? span(call, rowsA, colsA, lda) : 0;
        int lenB = readsAB ? span(call, rowsB, colsB, ldb) : 0;
        int lenC = span(call, m, n, ldc);
        int elem = type.bytes();
        if (readsAB) {
            memory.checkAccess("A", a, (long) elem * lenA, elem);
            memory.checkAccess("B", b, (long) elem * lenB, elem);
        }
        memory.checkAccess("C", c, (long) elem * lenC, elem);
        streams.enqueue(stream, call, () -> {
            float[] av = readsAB ? memory.readAsFloats(a, lenA, type) : new float[0];
            float[] bv = readsAB ? memory.readAsFloats(b, lenB, type) : new float[0];
            // C is read whole, also where beta == 0 (Gemm then overwrites without reading), so that the elements
            // between columns (ldc > m) are written back unchanged.
            float[] cv = memory.readAsFloats(c, lenC, type);
            rowMajorGemm(transB == Op.T, transA == Op.T, n, m, readsAB ? k : 0, alpha, bv, ldb, av, lda, beta, cv, ldc);
            if (type == StorageFormat.F32) {
                memory.writeFloats(c, cv);
            } else {
                storeColumns(c, cv, m, n, ldc, type);
            }
        });
    }

    /**
     * Stores the m x n matrix of cv (column-major, leading dimension ldc) rounded to a 16-bit type; the elements
     * between columns keep their bits (widening and rounding back would quiet a signalling NaN there).
     */
    private void storeColumns(DevicePtr c, float[] cv, int m, int n, int ldc, StorageFormat type) {
        ShortBuffer s = memory.bytes(c, 2L * cv.length, 2).asShortBuffer();
        for (int j = 0; j < n; j++) {
            for (int i = j * ldc, end = i + m; i < end; i++) {
                s.put(i, type.encode(cv[i]));
            }
        }
    }

    /**
     * Row-major C[M x N] = alpha op(A) op(B) + beta C, split over rows of C across threads when large (each
     * thread writes its own rows).
     */
    private static void rowMajorGemm(boolean tA, boolean tB, int rows, int cols, int k, float alpha, float[] a, int lda,
                                     float[] b, int ldb, float beta, float[] c, int ldc) {
        if ((long) rows * cols * k < PARALLEL_WORK || rows < 2) {
            Gemm.sgemm(tA, tB, rows, cols, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
            return;
        }
        Parallel.forRange(rows, (from, to) -> Gemm.sgemm(tA, tB, to - from, cols, k, alpha, a,
                tA ? from : from * lda, lda, b, 0, ldb, beta, c, from * ldc, ldc));
    }

    @Override
    public void sgemv(Op trans, int m, int n, float alpha, DevicePtr a, int lda, DevicePtr x, int incx, float beta,
                      DevicePtr y, int incy) {
        String call = "cublasSgemv";
        calls.enter(call);
        calls.arguments(trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
        if (trans == null) {
            throw invalid(call, "null operation");
        }
        if (m < 0 || n < 0) {
            throw invalid(call, "negative size m=" + m + " n=" + n);
        }
        requireLd(call, "lda", lda, m);
        if (incx == 0 || incy == 0) {
            throw invalid(call, "zero increment incx=" + incx + " incy=" + incy);
        }
        if (m == 0 || n == 0) {
            return;
        }
        int lenX = trans == Op.N ? n : m;
        int lenY = trans == Op.N ? m : n;
        boolean readsAX = alpha != 0f;
        int spanA = span(call, m, n, lda);
        int spanX = vectorSpan(call, lenX, incx);
        int spanY = vectorSpan(call, lenY, incy);
        if (readsAX) {
            memory.checkAccess("A", a, 4L * spanA, 4);
            memory.checkAccess("x", x, 4L * spanX, 4);
        }
        memory.checkAccess("y", y, 4L * spanY, 4);
        streams.enqueue(stream, call, () -> {
            float[] av = readsAX ? memory.readFloats(a, spanA) : null;
            float[] xv = readsAX ? memory.readFloats(x, spanX) : null;
            float[] yv = memory.readFloats(y, spanY);
            for (int i = 0; i < lenY; i++) {
                double sum = 0;
                if (readsAX) {
                    for (int j = 0; j < lenX; j++) {
                        // op(A)(i, j): A(i, j) = a[i + j*lda] for N, A(j, i) for T
                        float aij = trans == Op.N ? av[i + j * lda] : av[j + i * lda];
                        sum += (double) aij * xv[element(j, lenX, incx)];
                    }
                }
                int yi = element(i, lenY, incy);
                // beta == 0: y is written without being read, so a NaN there does not propagate (as in cuBLAS).
                yv[yi] = beta == 0f ? (float) (alpha * sum) : (float) (alpha * sum + (double) beta * yv[yi]);
            }
            memory.writeFloats(y, yv);
        });
    }

    /** Index of element i of a strided vector of length len; a negative increment walks it from the end (BLAS). */
    private static int element(int i, int len, int inc) {
        return inc > 0 ? i * inc : (len - 1 - i) * -inc;
    }

    private static void requireLd(String call, String name, int ld, int rows) {
        if (ld < Math.max(1, rows)) {
            throw invalid(call, name + "=" + ld + " < max(1, " + rows + " stored rows)");
        }
    }

    /** Floats spanned by a column-major rows x cols matrix with leading dimension ld. */
    private static int span(String call, int rows, int cols, int ld) {
        long s = rows == 0 || cols == 0 ? 0 : (long) (cols - 1) * ld + rows;
        if (s > Integer.MAX_VALUE) {
            throw invalid(call, "a " + rows + " x " + cols + " matrix with ld " + ld + " spans more than 2^31 floats");
        }
        return (int) s;
    }

    private static int vectorSpan(String call, int len, int inc) {
        long s = (long) (len - 1) * Math.abs((long) inc) + 1;
        if (s > Integer.MAX_VALUE) {
            throw invalid(call, "a vector of " + len + " with increment " + inc + " spans more than 2^31 floats");
        }
        return (int) s;
    }

    private static DeviceException invalid(String call, String detail) {
        return new DeviceException(call, Status.CUBLAS_INVALID_VALUE, detail);
    }
}
