package org.alexnetcuda.device.sim;

import java.util.SplittableRandom;

import org.alexnetcuda.device.Blas.MathMode;
import org.alexnetcuda.device.Blas.Op;
import org.alexnetcuda.device.DevicePtr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.alexnetcuda.device.sim.SimFixtures.assertClose;
import static org.alexnetcuda.device.sim.SimFixtures.assertStatus;
import static org.alexnetcuda.device.sim.SimFixtures.randomFloats;
import static org.alexnetcuda.device.sim.SimFixtures.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimBlasTest {
    private final long seed = SimFixtures.freshSeed();
    private final SplittableRandom rnd = new SplittableRandom(seed);
    private final SimDevice device = new SimDevice();
    private final SimMemory mem = device.memory();
    private final SimBlas blas = device.blas();

    @AfterEach
    void close() {
        device.close();
    }

    /** cuBLAS's definition, column-major: C(i,j) = alpha * sum_p op(A)(i,p) op(B)(p,j) + beta * C(i,j). */
    static double[] naiveSgemm(Op ta, Op tb, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb,
                               float beta, float[] c, int ldc) {
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = c[i];
        }
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta == Op.N ? a[i + p * lda] : a[p + i * lda];
                    double bv = tb == Op.N ? b[p + j * ldb] : b[j + p * ldb];
                    s += av * bv;
                }
                out[i + j * ldc] = alpha * s + (beta == 0f ? 0 : beta * (double) c[i + j * ldc]);
            }
        }
        return out;
    }

    private void checkSgemm(Op ta, Op tb, int m, int n, int k, int padA, int padB, int padC, float alpha, float beta) {
        int rowsA = ta == Op.N ? m : k;
        int colsA = ta == Op.N ? k : m;
        int rowsB = tb == Op.N ? k : n;
        int colsB = tb == Op.N ? n : k;
        int lda = rowsA + padA;
        int ldb = rowsB + padB;
        int ldc = m + padC;
        float[] a = randomFloats(rnd, lda * colsA);
        float[] b = randomFloats(rnd, ldb * colsB);
        float[] c = randomFloats(rnd, ldc * n);
        DevicePtr pa = upload(device, a);
        DevicePtr pb = upload(device, b);
        DevicePtr pc = upload(device, c);
        blas.sgemm(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        String what = ta + "" + tb + " m=" + m + " n=" + n + " k=" + k + " pads " + padA + "," + padB + "," + padC
                + " alpha=" + alpha + " beta=" + beta + " seed " + seed;
        // Elements between columns (ldc > m) keep their values: the naive result copies them from c.
        assertClose(naiveSgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc), mem.readFloats(pc, c.length),
                1e-6 * Math.max(1, k), what);
        mem.free(pa);
        mem.free(pb);
        mem.free(pc);
    }

    @Test
    void sgemmMatchesTheColumnMajorDefinitionForAllTransposesSizesAndLeadingDimensions() {
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {17, 2, 9}, {2, 19, 1}, {33, 31, 65}, {64, 10, 300}};
        float[][] scalars = {{1f, 0f}, {0.75f, -1.25f}, {-2f, 1f}};
        for (Op ta : Op.values()) {
            for (Op tb : Op.values()) {
                for (int[] s : sizes) {
                    for (float[] ab : scalars) {
                        int pad = rnd.nextInt(3);
                        checkSgemm(ta, tb, s[0], s[1], s[2], pad, rnd.nextInt(3), rnd.nextInt(3), ab[0], ab[1]);
                    }
                }
            }
        }
    }

    @Test
    void largeSgemmSplitAcrossThreadsMatches() {
        checkSgemm(Op.N, Op.T, 150, 130, 120, 1, 0, 2, 1f, 0.5f);
        checkSgemm(Op.T, Op.N, 97, 201, 64, 0, 3, 0, -0.5f, 0f);
    }

    @Test
    void betaZeroOverwritesNaNAndAlphaZeroOrKZeroOnlyScales() {
        float[] a = randomFloats(rnd, 6);
        float[] nan = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        DevicePtr pa = upload(device, a);
        DevicePtr pc = upload(device, nan);
        // 2x2 = (2x3) (3x2), A = B = the same 6 values
        blas.sgemm(Op.N, Op.N, 2, 2, 3, 1f, pa, 2, pa, 3, 0f, pc, 2);
        for (float v : mem.readFloats(pc, 4)) {
            assertTrue(Float.isFinite(v));
        }
        float[] c = randomFloats(rnd, 4);
        mem.writeFloats(pc, c);
        // alpha == 0: A and B are not read, so even unallocated pointers pass.
        blas.sgemm(Op.N, Op.N, 2, 2, 3, 0f, new DevicePtr(256), 2, new DevicePtr(256), 3, 2f, pc, 2);
        float[] got = mem.readFloats(pc, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(2f * c[i], got[i]);
        }
        blas.sgemm(Op.N, Op.N, 2, 2, 0, 1f, pa, 2, pa, 1, 0f, pc, 2);
        for (float v : mem.readFloats(pc, 4)) {
            assertEquals(0f, v);
        }
    }

    @Test
    void sgemmRejectsWhatCublasRejects() {
        DevicePtr p = mem.alloc(4 * 100);
        String bad = "CUBLAS_STATUS_INVALID_VALUE";
        assertStatus(bad, () -> blas.sgemm(Op.N, Op.N, -1, 2, 2, 1f, p, 2, p, 2, 0f, p, 2));
        assertStatus(bad, () -> blas.sgemm(Op.N, Op.N, 2, 2, -3, 1f, p, 2, p, 2, 0f, p, 2));
        assertStatus(bad, () -> blas.sgemm(Op.N, Op.N, 3, 2, 2, 1f, p, 2, p, 2, 0f, p, 3)); // lda < m
        assertStatus(bad, () -> blas.sgemm(Op.T, Op.N, 3, 2, 4, 1f, p, 3, p, 4, 0f, p, 3)); // lda < k for A^T
        assertStatus(bad, () -> blas.sgemm(Op.N, Op.N, 2, 2, 4, 1f, p, 2, p, 3, 0f, p, 2)); // ldb < k
        assertStatus(bad, () -> blas.sgemm(Op.N, Op.T, 2, 5, 4, 1f, p, 2, p, 4, 0f, p, 2)); // ldb < n for B^T
        assertStatus(bad, () -> blas.sgemm(Op.N, Op.N, 2, 2, 2, 1f, p, 2, p, 2, 0f, p, 1)); // ldc < m
        assertStatus(bad, () -> blas.sgemm(Op.N, Op.N, 0, 2, 2, 1f, p, 0, p, 2, 0f, p, 1)); // lda < 1
        // m == 0: a valid call that does nothing, whatever the pointers.
        blas.sgemm(Op.N, Op.N, 0, 2, 2, 1f, DevicePtr.NULL, 1, DevicePtr.NULL, 2, 0f, DevicePtr.NULL, 1);
    }

    @Test
    void sgemmChecksEveryMatrixAgainstItsAllocation() {
        DevicePtr a = mem.alloc(4 * 6);  // 2x3
        DevicePtr b = mem.alloc(4 * 6);  // 3x2
        DevicePtr c = mem.alloc(4 * 4);  // 2x2
        blas.sgemm(Op.N, Op.N, 2, 2, 3, 1f, a, 2, b, 3, 0f, c, 2);
        // ldc 3 makes C span 5 floats, one more than allocated
        assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> blas.sgemm(Op.N, Op.N, 2, 2, 3, 1f, a, 2, b, 3, 0f, c, 3));
        assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS",
                () -> blas.sgemm(Op.N, Op.N, 2, 2, 3, 1f, a.plusFloats(1), 2, b, 3, 0f, c, 2));
        assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> blas.sgemm(Op.N, Op.N, 2, 2, 4, 1f, a, 2, b, 4, 0f, c, 2));
        mem.free(b);
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> blas.sgemm(Op.N, Op.N, 2, 2, 3, 1f, a, 2, b, 3, 0f, c, 2));
    }

    static double[] naiveSgemv(Op t, int m, int n, float alpha, float[] a, int lda, float[] x, int incx, float beta,
                               float[] y, int incy) {
        int lenX = t == Op.N ? n : m;
        int lenY = t == Op.N ? m : n;
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i];
        }
        for (int i = 0; i < lenY; i++) {
            double s = 0;
            for (int j = 0; j < lenX; j++) {
                double aij = t == Op.N ? a[i + j * lda] : a[j + i * lda];
                int xj = incx > 0 ? j * incx : (lenX - 1 - j) * -incx;
                s += aij * x[xj];
            }
            int yi = incy > 0 ? i * incy : (lenY - 1 - i) * -incy;
            out[yi] = alpha * s + (beta == 0f ? 0 : beta * (double) y[yi]);
        }
        return out;
    }

    @Test
    void sgemvMatchesTheDefinitionWithStridesBothWays() {
        int[][] cases = {{5, 3, 1, 1, 0}, {4, 7, 2, 3, 2}, {6, 6, -1, 2, 1}, {9, 2, 3, -2, 0}, {1, 1, 1, 1, 0}};
        for (Op t : Op.values()) {
            for (int[] cs : cases) {
                int m = cs[0];
                int n = cs[1];
                int incx = cs[2];
                int incy = cs[3];
                int lda = m + cs[4];
                int lenX = t == Op.N ? n : m;
                int lenY = t == Op.N ? m : n;
                float[] a = randomFloats(rnd, lda * n);
                float[] x = randomFloats(rnd, (lenX - 1) * Math.abs(incx) + 1);
                float[] y = randomFloats(rnd, (lenY - 1) * Math.abs(incy) + 1);
                float alpha = (float) (rnd.nextDouble() * 2 - 1.1);
                float beta = rnd.nextBoolean() ? 0f : 0.5f;
                DevicePtr pa = upload(device, a);
                DevicePtr px = upload(device, x);
                DevicePtr py = upload(device, y);
                blas.sgemv(t, m, n, alpha, pa, lda, px, incx, beta, py, incy);
                assertClose(naiveSgemv(t, m, n, alpha, a, lda, x, incx, beta, y, incy), mem.readFloats(py, y.length),
                        1e-6, t + " " + java.util.Arrays.toString(cs) + " seed " + seed);
            }
        }
        DevicePtr p = mem.alloc(64);
        assertStatus("CUBLAS_STATUS_INVALID_VALUE", () -> blas.sgemv(Op.N, 2, 2, 1f, p, 2, p, 0, 0f, p, 1));
        assertStatus("CUBLAS_STATUS_INVALID_VALUE", () -> blas.sgemv(Op.N, 3, 2, 1f, p, 2, p, 1, 0f, p, 1));
        assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> blas.sgemv(Op.N, 5, 4, 1f, p, 5, p, 1, 0f, p, 1));
    }

    @Test
    void mathModeIsRecorded() {
        assertEquals(MathMode.DEFAULT, blas.mathMode());
        blas.setMathMode(MathMode.TF32);
        assertEquals(MathMode.TF32, blas.mathMode());
        assertEquals(1, device.callCount("cublasSetMathMode"));
    }
}
