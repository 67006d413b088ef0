package org.alexnetcuda.math;

/**
 * Single-threaded float GEMM on row-major arrays: C = alpha * op(A) * op(B) + beta * C, where op(A) is m x k,
 * op(B) is k x n and C is m x n. Element (i, j) of a row-major matrix X with leading dimension ldx lives at
 * {@code x[xOff + i * ldx + j]}; a transposed operand is read as the transpose of what is stored, as in BLAS.
 * Callers parallelise by splitting C into disjoint pieces.
 *
 * <p>How it is fast in plain Java (about 40 GFLOP/s on one AVX2 core, against about 11 for the same loops compiled
 * to scalar code). HotSpot C2 turns a counted loop over j into AVX2 FMAs (superword) only if it can prove that the
 * loads and stores in the loop do not overlap across iterations. On JDK 17 it cannot when two accesses carry
 * different loop-invariant offsets ({@code c[c0 + j]} against {@code b[b0 + j]}), and then vectorizes nothing. So
 * the innermost loop touches only separate arrays indexed by the bare loop variable:
 * <ul>
 * <li>a KC x NC block of op(B) is packed into KC separate row arrays (this also does the transpose for NT, and the
 * block then stays in L2 while every row of C streams past it);</li>
 * <li>two rows of C at a time are copied (System.arraycopy) into two scratch rows, updated for the whole block of k,
 * and copied back: register blocking over 2 rows of C;</li>
 * <li>4 steps of k are fused in one pass over j (t0[j] += a00 b0[j] + a01 b1[j] + a02 b2[j] + a03 b3[j], and the
 * same for t1), so per 8 lanes the loop does 4 B loads, 2 C loads and 2 C stores for 8 FMAs. 2 x 4 is the largest
 * body C2 still vectorizes with default flags (3 rows or 6 steps of k fell back to scalar code);</li>
 * <li>alpha * op(A) is packed per MC x KC block in the order the kernel reads its scalars (they are loop-invariant
 * in the j loop, which waits for them: read in place from a large A they miss cache at every step of k).</li>
 * </ul>
 * Math.fma keeps each update one vfmadd instruction. Results therefore differ from a naive float loop by rounding.
 */
public final class Gemm {
    /** Columns per block: the kernel's working set, 4 B rows + 2 C rows of NC floats, is 6 KB of L1. */
    static final int NC = 256;
    /** Depth per block: the packed B block, KC x NC floats = 256 KB, stays in the 512 KB L2. Multiple of 4. */
    static final int KC = 256;
    /** Rows of A per packed block: MC x KC floats = 128 KB, beside the B block in L2. Even. */
    static final int MC = 128;

    private Gemm() {
    }

    /** Per-thread scratch: the packed blocks of B and A and two rows of C. */
    private static final class Workspace {
        final float[][] b = new float[KC][NC];
        final float[] a = new float[MC * KC];
        final float[] t0 = new float[NC];
        final float[] t1 = new float[NC];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /**
     * C = alpha * op(A) * op(B) + beta * C.
     *
     * @param transA op(A) = A^T: A is stored k x m (lda >= m), else m x k (lda >= k)
     * @param transB op(B) = B^T: B is stored n x k (ldb >= k), else k x n (ldb >= n)
     * @param beta   0 means C is written without being read (NaNs in C do not propagate), as in BLAS
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative size m=" + m + " n=" + n + " k=" + k);
        }
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", c, cOff, ldc, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        scale(m, n, beta, c, cOff, ldc);
        if (alpha == 0f || k == 0) {
            return;
        }
        // Strides of op(A)(i, p) and op(B)(p, j) in the stored arrays.
        int sai = transA ? 1 : lda;
        int sap = transA ? lda : 1;
        int sbp = transB ? 1 : ldb;
        int sbj = transB ? ldb : 1;
        Workspace ws = WORKSPACE.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int kc4 = (kc + 3) & ~3;
                packB(b, bOff + pc * sbp + jc * sbj, sbp, sbj, kc, kc4, nc, ws.b);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(a, aOff + ic * sai + pc * sap, sai, sap, mc, kc, kc4, alpha, ws.a);
                    block(mc, nc, kc4, ws.b, ws.a, ws.t0, ws.t1, c, cOff + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /** Checks that a rows x cols matrix at off with leading dimension ld fits in x. */
    private static void checkMatrix(String what, float[] x, int off, int ld, int rows, int cols) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(what + ": leading dimension " + ld + " < " + cols + " columns");
        }
        if (off < 0) {
            throw new IllegalArgumentException(what + ": negative offset " + off);
        }
        if (rows > 0 && cols > 0) {
            long last = off + (long) (rows - 1) * ld + cols - 1;
            if (last >= x.length) {
                throw new IllegalArgumentException(what + ": " + rows + "x" + cols + " at offset " + off + " with ld "
                        + ld + " needs " + (last + 1) + " elements, array has " + x.length);
            }
        }
    }

    /** C = beta * C over the m x n block (beta == 0 writes zeros). */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = row; j < row + n; j++) {
                    c[j] *= beta;
                }
            }
        }
    }

    /**
     * bp[p][j] = op(B)(p, j) for p < kc, j < nc, where op(B)(p, j) = b[off + p * sp + j * sj]; rows kc..kc4 are
     * zeroed so the kernel can always take k in steps of 4 (stale values there could be Inf and give 0 * Inf).
     */
    private static void packB(float[] b, int off, int sp, int sj, int kc, int kc4, int nc, float[][] bp) {
        if (sj == 1) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, off + p * sp, bp[p], 0, nc);
            }
        } else {
            // B^T: stored rows run along p. Four stored rows (j .. j+3) are read contiguously at once, so each
            // destination row gets four adjacent floats per visit; the kc destination lines (kc * 64 B) stay in L1
            // while 16 consecutive j fill them.
            int j = 0;
            for (; j + 4 <= nc; j += 4) {
                int s0 = off + j * sj;
                int s1 = s0 + sj;
                int s2 = s1 + sj;
                int s3 = s2 + sj;
                for (int p = 0; p < kc; p++) {
                    float[] row = bp[p];
                    row[j] = b[s0 + p];
                    row[j + 1] = b[s1 + p];
                    row[j + 2] = b[s2 + p];
                    row[j + 3] = b[s3 + p];
                }
            }
            for (; j < nc; j++) {
                int src = off + j * sj;
                for (int p = 0; p < kc; p++) {
                    bp[p][j] = b[src + p];
                }
            }
        }
        for (int p = kc; p < kc4; p++) {
            java.util.Arrays.fill(bp[p], 0, nc, 0f);
        }
    }

    /**
     * Packs alpha * op(A) for mc rows and kc4 steps of k in the order the kernel reads it: row pair r, then p, then
     * the two rows: ap[r * 2 * kc4 + 2 * p + h] = alpha * opA(2r + h, p), with op(A)(i, p) = a[off + i*si + p*sp].
     * The odd last row's partner and p >= kc are zero. Sequential reads keep the A scalars, which the j loop
     * waits for, in L1 (read in place from a large A they miss cache and stall every k step).
     */
    private static void packA(float[] a, int off, int si, int sp, int mc, int kc, int kc4, float alpha, float[] ap) {
        for (int i = 0; i < mc; i += 2) {
            int dst = i * kc4;
            int src0 = off + i * si;
            if (i + 1 < mc) {
                int src1 = src0 + si;
                for (int p = 0; p < kc; p++) {
                    ap[dst + 2 * p] = alpha * a[src0 + p * sp];
                    ap[dst + 2 * p + 1] = alpha * a[src1 + p * sp];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    ap[dst + 2 * p] = alpha * a[src0 + p * sp];
                    ap[dst + 2 * p + 1] = 0f;
                }
            }
            java.util.Arrays.fill(ap, dst + 2 * kc, dst + 2 * kc4, 0f);
        }
    }

    /**
     * C[0..mc)[0..nc) += packed A (mc x kc4) * packed B (kc4 x nc), C rows at c[cOff + i * ldc]. Rows go in pairs
     * through two scratch rows t0, t1; the j loop is the vectorized hot loop (8 FMAs per lane, see the class comment).
     *
     * <p>C2 is touchy about this nest; each of these turned the j loop back into scalar code (about 11 instead of
     * 40+ GFLOP/s, checked in the disassembly: vfmadd231ss instead of vfmadd231ps): reading the scratch arrays from
     * the Workspace's fields inside this method instead of taking them as parameters, and a second induction
     * variable in the p loop's header. Re-run GemmBench after any change here.
     */
    private static void block(int mc, int nc, int kc4, float[][] bp, float[] ap, float[] t0, float[] t1,
                              float[] c, int cOff, int ldc) {
        for (int i = 0; i < mc; i += 2) {
            int c0 = cOff + i * ldc;
            boolean pair = i + 1 < mc;
            System.arraycopy(c, c0, t0, 0, nc);
            if (pair) {
                System.arraycopy(c, c0 + ldc, t1, 0, nc);
            }
            for (int p = 0; p < kc4; p += 4) {
                // q from i and p, not a second induction variable "q += 8" in the for header: with that, C2
                // compiled this nest about 5x slower (the j loop lost its vectorized form).
                int q = i * kc4 + 2 * p;
                float a00 = ap[q];
                float a10 = ap[q + 1];
                float a01 = ap[q + 2];
                float a11 = ap[q + 3];
                float a02 = ap[q + 4];
                float a12 = ap[q + 5];
                float a03 = ap[q + 6];
                float a13 = ap[q + 7];
                float[] b0 = bp[p];
                float[] b1 = bp[p + 1];
                float[] b2 = bp[p + 2];
                float[] b3 = bp[p + 3];
                for (int j = 0; j < nc; j++) {
                    float x0 = b0[j];
                    float x1 = b1[j];
                    float x2 = b2[j];
                    float x3 = b3[j];
                    t0[j] = Math.fma(a03, x3, Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, t0[j]))));
                    t1[j] = Math.fma(a13, x3, Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, t1[j]))));
                }
            }
            System.arraycopy(t0, 0, c, c0, nc);
            if (pair) {
                System.arraycopy(t1, 0, c, c0 + ldc, nc);
            }
        }
    }
}
