package org.alexnetcuda.math;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gemm against a naive double-precision triple loop. Sizes are odd and cross the block sizes (NC = KC = 256,
 * MC = 128, k in steps of 4, rows in pairs) so every remainder path runs; operands sit at offsets inside larger
 * arrays with padded leading dimensions, and the padding of C must come back untouched.
 *
 * <p>Bound: max |C - C_ref| / max |C_ref| <= 1e-5. Each C element is a float sum of k <= 600 products of values in
 * [-1, 1); float rounding grows like sqrt(k) * 6e-8 relative to such a sum, so 1e-5 leaves a wide margin while
 * still catching any wrong index (which gives errors of order 1).
 */
class GemmTest {
    private static final double BOUND = 1e-5;

    @Test
    void allTransposesOddSizesOffsetsAndLeadingDimensions() {
        int[][] sizes = {{1, 1, 1}, {2, 3, 5}, {7, 1, 13}, {37, 301, 263}, {131, 259, 9}, {3, 515, 517}, {130, 17, 600}};
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                check(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, 1f, 0f);
            }
        }
    }

    @Test
    void alphaAndBeta() {
        float[][] ab = {{1f, 1f}, {0.5f, -2f}, {-1.25f, 0.75f}, {2f, 0f}, {0f, 1.5f}, {0f, 0f}};
        for (float[] p : ab) {
            for (int t = 0; t < 4; t++) {
                check(29, 270, 45, (t & 1) != 0, (t & 2) != 0, p[0], p[1]);
            }
        }
    }

    @Test
    void betaZeroDoesNotReadC() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        int m = 5;
        int n = 6;
        int k = 7;
        float[] a = GradientCheck.randomFloats(rnd, m * k);
        float[] b = GradientCheck.randomFloats(rnd, k * n);
        float[] c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN);
        Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        for (float v : c) {
            assertTrue(Float.isFinite(v), "seed " + seed + ": beta = 0 must overwrite NaN in C, got " + v);
        }
    }

    @Test
    void rejectsMatricesThatDoNotFit() {
        float[] x = new float[12];
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 3, 4, 4, 1f, x, 0, 3, x, 0, 4, 0f, x, 0, 4), "lda < k");
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 3, 4, 4, 1f, x, 0, 4, x, 0, 4, 0f, x, 0, 4), "B needs 16");
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(true, false, 3, 4, 2, 1f, x, 1, 3, x, 0, 4, 0f, x, 1, 4), "C at offset 1 needs 13");
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, -1, 4, 2, 1f, x, 0, 2, x, 0, 4, 0f, x, 0, 4), "negative m");
    }

    /** One random case: operands at random offsets with padded leading dimensions, compared with the reference. */
    private static void check(int m, int n, int k, boolean ta, boolean tb, float alpha, float beta) {
        long seed = System.nanoTime() ^ ((long) m << 40) ^ ((long) n << 20) ^ k;
        SplittableRandom rnd = new SplittableRandom(seed);
        String what = String.format("seed %d: %s%s m=%d n=%d k=%d alpha=%s beta=%s", seed, ta ? "T" : "N",
                tb ? "T" : "N", m, n, k, alpha, beta);
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int lda = aCols + rnd.nextInt(4);
        int ldb = bCols + rnd.nextInt(4);
        int ldc = n + rnd.nextInt(4);
        int aOff = rnd.nextInt(5);
        int bOff = rnd.nextInt(5);
        int cOff = rnd.nextInt(5);
        float[] a = GradientCheck.randomFloats(rnd, aOff + (aRows - 1) * lda + aCols + rnd.nextInt(3));
        float[] b = GradientCheck.randomFloats(rnd, bOff + (bRows - 1) * ldb + bCols + rnd.nextInt(3));
        float[] c = GradientCheck.randomFloats(rnd, cOff + (m - 1) * ldc + n + rnd.nextInt(3));
        float[] c0 = c.clone();

        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                expected[i * n + j] = alpha * s + (beta == 0f ? 0 : beta * (double) c0[cOff + i * ldc + j]);
            }
        }

        Gemm.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);

        double[] actual = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                actual[i * n + j] = c[cOff + i * ldc + j];
            }
        }
        double err = GradientCheck.relativeError(actual, expected, 1e-30);
        assertTrue(err <= BOUND, what + ": relative error " + err + " > " + BOUND);
        // Everything outside the m x n window of C (offset, row padding, tail) is untouched.
        for (int idx = 0; idx < c.length; idx++) {
            int r = idx - cOff;
            boolean inside = r >= 0 && r / ldc < m && r % ldc < n;
            if (!inside) {
                assertEquals(c0[idx], c[idx], what + ": element " + idx + " outside C changed");
            }
        }
    }
}
