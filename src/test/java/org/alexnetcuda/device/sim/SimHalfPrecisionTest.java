package org.alexnetcuda.device.sim;

import java.util.List;
import java.util.SplittableRandom;

import org.alexnetcuda.device.Blas.Op;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Dnn.AlgoPerf;
import org.alexnetcuda.device.Dnn.ConvPass;
import org.alexnetcuda.device.Handles.ConvDesc;
import org.alexnetcuda.device.Handles.FilterDesc;
import org.alexnetcuda.device.Handles.LrnDesc;
import org.alexnetcuda.device.Handles.PoolDesc;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.engine.cpu.LrnLayer;
import org.alexnetcuda.engine.cpu.MaxPool;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.StorageFormat;
import org.alexnetcuda.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.alexnetcuda.device.sim.SimFixtures.assertStatus;
import static org.alexnetcuda.device.sim.SimFixtures.randomFloats;
import static org.alexnetcuda.device.sim.SimFixtures.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's HALF and BFLOAT16 tensors and cublasGemmEx. Every 16-bit result is checked two ways:
 * <ul>
 * <li>bit for bit equal to {@link StorageFormat#round} of the same call on FLOAT descriptors with the widened
 *     inputs. Exact, not within one rounding: widening is exact, so both calls do the very same float arithmetic
 *     (same FP32 layers, same float blend alpha * r + beta * y), and the 16-bit call only adds the one rounding on
 *     store;</li>
 * <li>within the format's unit roundoff (2^-11 for F16, 2^-8 for BF16) of a double reference, relative, plus the
 *     FP32 simulator's own tolerance.</li>
 * </ul>
 * Inputs are fresh random values in +-[0.1, 1), rounded to the format so that they are the values stored.
 */
class SimHalfPrecisionTest {
    private static final float ALPHA = 0.75f;
    private static final float BETA = -0.5f;
    private static final List<StorageFormat> HALVES = List.of(StorageFormat.F16, StorageFormat.BF16);
    private static final long WORKSPACE = 1 << 22;

    private final long seed = SimFixtures.freshSeed();
    private final SplittableRandom rnd = new SplittableRandom(seed);
    private final SimDevice device = new SimDevice();
    private final SimMemory mem = device.memory();
    private final SimDnn dnn = device.dnn();
    private final SimBlas blas = device.blas();
    private final DevicePtr workspace = mem.alloc(WORKSPACE);

    @AfterEach
    void close() {
        device.close();
    }

    // ---------------------------------------------------------------- helpers

    /** Half the distance from 1 to the next value: the largest relative error of one rounding to nearest. */
    private static double unitRoundoff(StorageFormat f) {
        return f == StorageFormat.F16 ? 0x1p-11 : 0x1p-8;
    }

    /** Random values in +-[0.1, 1), already rounded to the format (so stored exactly). */
    private float[] values(int n, StorageFormat f) {
        return f.round(randomFloats(rnd, n));
    }

    /** An allocation of exactly 2 * values.length bytes holding the values in the 16-bit format. */
    private DevicePtr upload16(float[] values, StorageFormat f) {
        DevicePtr p = mem.alloc(2L * values.length);
        mem.writeFloatsAsHalf(p, values, f);
        return p;
    }

    /** Fresh memory: 0xFF bytes, a NaN in FLOAT, HALF and BFLOAT16 alike (for beta == 0 destinations). */
    private DevicePtr nans(long bytes) {
        return mem.alloc(bytes);
    }

    /**
     * got[i] is exactly f.round(f32[i]), and within one rounding (plus the FP32 tolerance tol) of the double
     * reference: |got - ref| <= u |ref| (1 + tol) + tol (1 + |ref|).
     */
    private void assertRounded(StorageFormat f, float[] f32, float[] got, double[] ref, double tol, String what) {
        assertEquals(f32.length, got.length, what);
        double u = unitRoundoff(f);
        for (int i = 0; i < got.length; i++) {
            String at = what + " " + f + " element " + i + " seed " + seed;
            assertEquals(Float.floatToIntBits(f.round(f32[i])), Float.floatToIntBits(got[i]),
                    at + ": " + got[i] + " is not the rounding of the FLOAT call's " + f32[i]);
            double r = ref[i];
            assertTrue(Math.abs(got[i] - r) <= u * Math.abs(r) * (1 + tol) + tol * (1 + Math.abs(r)),
                    at + ": " + got[i] + ", reference " + r);
        }
    }

    /** alpha * result + beta * old, in double (beta == 0 ignores old). */
    private static double[] blend(double[] result, float[] old, float alpha, float beta) {
        double[] out = new double[result.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = alpha * result[i] + (beta == 0f ? 0 : beta * (double) old[i]);
        }
        return out;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    // ---------------------------------------------------------------- convolution

    /** x n x c x h x w, filter k x c x r x r, padding and stride. */
    private record Conv(int n, int c, int h, int w, int k, int r, int pad, int stride) {
        int ho() {
            return (h + 2 * pad - r) / stride + 1;
        }

        int wo() {
            return (w + 2 * pad - r) / stride + 1;
        }

        int xCount() {
            return n * c * h * w;
        }

        int wCount() {
            return k * c * r * r;
        }

        int yCount() {
            return n * k * ho() * wo();
        }
    }

    private interface Tap {
        void visit(int xi, int wi, int yi);
    }

    /** Every (x, w, y) index triple one multiply of the convolution touches. */
    private static void eachTap(Conv g, Tap t) {
        for (int n = 0; n < g.n; n++) {
            for (int k = 0; k < g.k; k++) {
                for (int i = 0; i < g.ho(); i++) {
                    for (int j = 0; j < g.wo(); j++) {
                        for (int c = 0; c < g.c; c++) {
                            for (int u = 0; u < g.r; u++) {
                                for (int v = 0; v < g.r; v++) {
                                    int ih = i * g.stride - g.pad + u;
                                    int iw = j * g.stride - g.pad + v;
                                    if (ih >= 0 && ih < g.h && iw >= 0 && iw < g.w) {
                                        t.visit(((n * g.c + c) * g.h + ih) * g.w + iw, ((k * g.c + c) * g.r + u) * g.r + v,
                                                ((n * g.k + k) * g.ho() + i) * g.wo() + j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The descriptors of one convolution in one type. */
    private final class ConvDescs {
        final TensorDesc x;
        final FilterDesc w;
        final ConvDesc conv;
        final TensorDesc y;

        ConvDescs(Conv g, StorageFormat f) {
            x = dnn.tensor(g.n, g.c, g.h, g.w, f);
            w = dnn.filter(g.k, g.c, g.r, g.r, f);
            conv = dnn.convolution(g.pad, g.pad, g.stride, g.stride, f.isHalf());
            y = dnn.tensor(g.n, g.k, g.ho(), g.wo(), f);
        }

        int algo(ConvPass pass) {
            AlgoPerf best = dnn.convolutionAlgorithms(pass, x, w, conv, y).get(0);
            assertTrue(best.ok() && best.memory() <= WORKSPACE);
            return best.algo();
        }
    }

    private static final List<Conv> CONVS = List.of(
            new Conv(2, 3, 9, 9, 4, 3, 1, 2),
            new Conv(2, 3, 31, 31, 6, 11, 2, 4));

    @Test
    void convolutionForwardIsTheRoundedFloatConvolution() {
        for (StorageFormat f : HALVES) {
            for (Conv g : CONVS) {
                for (float beta : new float[] {0f, BETA}) {
                    ConvDescs h = new ConvDescs(g, f);
                    ConvDescs s = new ConvDescs(g, StorageFormat.F32);
                    float[] x = values(g.xCount(), f);
                    float[] w = values(g.wCount(), f);
                    float[] yOld = values(g.yCount(), f);
                    DevicePtr y16 = beta == 0f ? nans(2L * yOld.length) : upload16(yOld, f);
                    DevicePtr y32 = beta == 0f ? nans(4L * yOld.length) : upload(device, yOld);
                    dnn.convolutionForward(ALPHA, h.x, upload16(x, f), h.w, upload16(w, f), h.conv,
                            h.algo(ConvPass.FORWARD), workspace, WORKSPACE, beta, h.y, y16);
                    dnn.convolutionForward(ALPHA, s.x, upload(device, x), s.w, upload(device, w), s.conv,
                            s.algo(ConvPass.FORWARD), workspace, WORKSPACE, beta, s.y, y32);
                    double[] ref = new double[yOld.length];
                    eachTap(g, (xi, wi, yi) -> ref[yi] += (double) x[xi] * w[wi]);
                    assertRounded(f, mem.readFloats(y32, yOld.length), mem.readHalfAsFloats(y16, yOld.length, f),
                            blend(ref, yOld, ALPHA, beta), 1e-5, "forward " + g + " beta " + beta);
                }
            }
        }
    }

    @Test
    void convolutionBackwardDataIsTheRoundedFloatOne() {
        for (StorageFormat f : HALVES) {
            for (Conv g : CONVS) {
                for (float beta : new float[] {0f, BETA}) {
                    ConvDescs h = new ConvDescs(g, f);
                    ConvDescs s = new ConvDescs(g, StorageFormat.F32);
                    float[] w = values(g.wCount(), f);
                    float[] dy = values(g.yCount(), f);
                    float[] dxOld = values(g.xCount(), f);
                    DevicePtr dx16 = beta == 0f ? nans(2L * dxOld.length) : upload16(dxOld, f);
                    DevicePtr dx32 = beta == 0f ? nans(4L * dxOld.length) : upload(device, dxOld);
                    dnn.convolutionBackwardData(ALPHA, h.w, upload16(w, f), h.y, upload16(dy, f), h.conv,
                            h.algo(ConvPass.BACKWARD_DATA), workspace, WORKSPACE, beta, h.x, dx16);
                    dnn.convolutionBackwardData(ALPHA, s.w, upload(device, w), s.y, upload(device, dy), s.conv,
                            s.algo(ConvPass.BACKWARD_DATA), workspace, WORKSPACE, beta, s.x, dx32);
                    double[] ref = new double[dxOld.length];
                    eachTap(g, (xi, wi, yi) -> ref[xi] += (double) dy[yi] * w[wi]);
                    assertRounded(f, mem.readFloats(dx32, dxOld.length), mem.readHalfAsFloats(dx16, dxOld.length, f),
                            blend(ref, dxOld, ALPHA, beta), 1e-5, "backward data " + g + " beta " + beta);
                }
            }
        }
    }

    @Test
    void convolutionBackwardFilterAndBiasAreTheRoundedFloatOnes() {
        for (StorageFormat f : HALVES) {
            for (Conv g : CONVS) {
                for (float beta : new float[] {0f, BETA}) {
                    ConvDescs h = new ConvDescs(g, f);
                    ConvDescs s = new ConvDescs(g, StorageFormat.F32);
                    float[] x = values(g.xCount(), f);
                    float[] dy = values(g.yCount(), f);
                    float[] dwOld = values(g.wCount(), f);
                    DevicePtr dy16 = upload16(dy, f);
                    DevicePtr dy32 = upload(device, dy);
                    DevicePtr dw16 = beta == 0f ? nans(2L * dwOld.length) : upload16(dwOld, f);
                    DevicePtr dw32 = beta == 0f ? nans(4L * dwOld.length) : upload(device, dwOld);
                    dnn.convolutionBackwardFilter(ALPHA, h.x, upload16(x, f), h.y, dy16, h.conv,
                            h.algo(ConvPass.BACKWARD_FILTER), workspace, WORKSPACE, beta, h.w, dw16);
                    dnn.convolutionBackwardFilter(ALPHA, s.x, upload(device, x), s.y, dy32, s.conv,
                            s.algo(ConvPass.BACKWARD_FILTER), workspace, WORKSPACE, beta, s.w, dw32);
                    double[] ref = new double[dwOld.length];
                    eachTap(g, (xi, wi, yi) -> ref[wi] += (double) dy[yi] * x[xi]);
                    assertRounded(f, mem.readFloats(dw32, dwOld.length), mem.readHalfAsFloats(dw16, dwOld.length, f),
                            blend(ref, dwOld, ALPHA, beta), 1e-5, "backward filter " + g + " beta " + beta);

                    float[] dbOld = values(g.k, f);
                    DevicePtr db16 = beta == 0f ? nans(2L * g.k) : upload16(dbOld, f);
                    DevicePtr db32 = beta == 0f ? nans(4L * g.k) : upload(device, dbOld);
                    dnn.convolutionBackwardBias(ALPHA, h.y, dy16, beta, dnn.tensor(1, g.k, 1, 1, f), db16);
                    dnn.convolutionBackwardBias(ALPHA, s.y, dy32, beta, dnn.tensor(1, g.k, 1, 1), db32);
                    double[] refB = new double[g.k];
                    int plane = g.ho() * g.wo();
                    for (int i = 0; i < dy.length; i++) {
                        refB[(i / plane) % g.k] += dy[i];
                    }
                    assertRounded(f, mem.readFloats(db32, g.k), mem.readHalfAsFloats(db16, g.k, f),
                            blend(refB, dbOld, ALPHA, beta), 1e-5, "bias " + g + " beta " + beta);
                }
            }
        }
    }

    // ---------------------------------------------------------------- addTensor, pooling, LRN

    @Test
    void addTensorIsTheRoundedFloatOne() {
        int n = 3;
        int c = 4;
        int hw = 10;
        for (StorageFormat f : HALVES) {
            float[] y = values(n * c * hw, f);
            float[] b = values(c, f);
            float[] same = values(y.length, f);
            // broadcast bias, beta 1; then the same shape, beta BETA
            DevicePtr y16 = upload16(y, f);
            DevicePtr y32 = upload(device, y);
            dnn.addTensor(ALPHA, dnn.tensor(1, c, 1, 1, f), upload16(b, f), 1f, dnn.tensor(n, c, 2, 5, f), y16);
            dnn.addTensor(ALPHA, dnn.tensor(1, c, 1, 1), upload(device, b), 1f, dnn.tensor(n, c, 2, 5), y32);
            double[] ref = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                ref[i] = ALPHA * (double) b[(i / hw) % c] + y[i];
            }
            assertRounded(f, mem.readFloats(y32, y.length), mem.readHalfAsFloats(y16, y.length, f), ref, 1e-6,
                    "bias broadcast");

            mem.writeFloatsAsHalf(y16, y, f);
            mem.writeFloats(y32, y);
            TensorDesc yd16 = dnn.tensor(n, c, 2, 5, f);
            TensorDesc yd32 = dnn.tensor(n, c, 2, 5);
            dnn.addTensor(ALPHA, yd16, upload16(same, f), BETA, yd16, y16);
            dnn.addTensor(ALPHA, yd32, upload(device, same), BETA, yd32, y32);
            assertRounded(f, mem.readFloats(y32, y.length), mem.readHalfAsFloats(y16, y.length, f),
                    blend(toDouble(same), y, ALPHA, BETA), 1e-6, "same shape");
        }
    }

    @Test
    void poolingIsTheRoundedFloatPooling() {
        Shape in = new Shape(2, 3, 13, 13);
        Shape out = new Shape(2, 3, 6, 6);
        MaxPool ref = new MaxPool("ref", 3, 2);
        PoolDesc pd = dnn.maxPooling(3, 3, 0, 0, 2, 2, true);
        for (StorageFormat f : HALVES) {
            TensorDesc xd16 = dnn.tensor(2, 3, 13, 13, f);
            TensorDesc yd16 = dnn.tensor(2, 3, 6, 6, f);
            TensorDesc xd32 = dnn.tensor(2, 3, 13, 13);
            TensorDesc yd32 = dnn.tensor(2, 3, 6, 6);
            Tensor x = new Tensor(in, values((int) in.size(), f));
            Tensor y = new Tensor(out);
            ref.forward(x, y, Pass.EVAL);
            float[] yOld = values((int) out.size(), f);
            DevicePtr x16 = upload16(x.data, f);
            DevicePtr x32 = upload(device, x.data);
            DevicePtr y16 = upload16(yOld, f);
            DevicePtr y32 = upload(device, yOld);
            dnn.poolingForward(pd, ALPHA, xd16, x16, BETA, yd16, y16);
            dnn.poolingForward(pd, ALPHA, xd32, x32, BETA, yd32, y32);
            assertRounded(f, mem.readFloats(y32, yOld.length), mem.readHalfAsFloats(y16, yOld.length, f),
                    blend(toDouble(y.data), yOld, ALPHA, BETA), 1e-6, "pool forward");

            // backward, with the forward's own (unblended) output as y
            mem.writeFloatsAsHalf(y16, y.data, f);
            mem.writeFloats(y32, y.data);
            Tensor dy = new Tensor(out, values((int) out.size(), f));
            Tensor dx = new Tensor(in);
            ref.backward(x, y, dy, dx, Pass.EVAL);
            float[] dxOld = values((int) in.size(), f);
            DevicePtr dx16 = upload16(dxOld, f);
            DevicePtr dx32 = upload(device, dxOld);
            dnn.poolingBackward(pd, ALPHA, yd16, y16, yd16, upload16(dy.data, f), xd16, x16, BETA, xd16, dx16);
            dnn.poolingBackward(pd, ALPHA, yd32, y32, yd32, upload(device, dy.data), xd32, x32, BETA, xd32, dx32);
            assertRounded(f, mem.readFloats(dx32, dxOld.length), mem.readHalfAsFloats(dx16, dxOld.length, f),
                    blend(toDouble(dx.data), dxOld, ALPHA, BETA), 1e-6, "pool backward");
        }
    }

    @Test
    void lrnIsTheRoundedFloatLrn() {
        Shape s = new Shape(2, 7, 3, 4);
        int count = (int) s.size();
        LrnDesc ld = dnn.lrn(5, 1e-4, 0.75, 2.0);
        LrnLayer ref = new LrnLayer("ref", 5, 1e-4, 0.75, 2.0);
        for (StorageFormat f : HALVES) {
            TensorDesc d16 = dnn.tensor(2, 7, 3, 4, f);
            TensorDesc d32 = dnn.tensor(2, 7, 3, 4);
            float[] xv = randomFloats(rnd, count);
            for (int i = 0; i < count; i++) {
                xv[i] = f.round(30f * xv[i]); // strong enough to normalise
            }
            Tensor x = new Tensor(s, xv);
            Tensor y = new Tensor(s);
            ref.forward(x, y, Pass.EVAL);
            DevicePtr x16 = upload16(xv, f);
            DevicePtr x32 = upload(device, xv);
            DevicePtr y16 = nans(2L * count);
            DevicePtr y32 = nans(4L * count);
            dnn.lrnForward(ld, 1f, d16, x16, 0f, d16, y16);
            dnn.lrnForward(ld, 1f, d32, x32, 0f, d32, y32);
            float[] y16v = mem.readHalfAsFloats(y16, count, f);
            assertRounded(f, mem.readFloats(y32, count), y16v, toDouble(y.data), 1e-6, "lrn forward");

            // backward on the stored (rounded) forward output, the same y for both calls and the reference
            mem.writeFloats(y32, y16v);
            Tensor yRounded = new Tensor(s, y16v.clone());
            Tensor dy = new Tensor(s, values(count, f));
            Tensor dx = new Tensor(s);
            ref.backward(x, yRounded, dy, dx, Pass.EVAL);
            float[] dxOld = values(count, f);
            DevicePtr dx16 = upload16(dxOld, f);
            DevicePtr dx32 = upload(device, dxOld);
            dnn.lrnBackward(ld, ALPHA, d16, y16, d16, upload16(dy.data, f), d16, x16, BETA, d16, dx16);
            dnn.lrnBackward(ld, ALPHA, d32, y32, d32, upload(device, dy.data), d32, x32, BETA, d32, dx32);
            assertRounded(f, mem.readFloats(dx32, count), mem.readHalfAsFloats(dx16, count, f),
                    blend(toDouble(dx.data), dxOld, ALPHA, BETA), 1e-6, "lrn backward");
        }
    }

    // ---------------------------------------------------------------- GEMM

    private void checkGemm(StorageFormat f, Op ta, Op tb, int m, int n, int k, float alpha, float beta) {
        int rowsA = ta == Op.N ? m : k;
        int colsA = ta == Op.N ? k : m;
        int rowsB = tb == Op.N ? k : n;
        int colsB = tb == Op.N ? n : k;
        int lda = rowsA + rnd.nextInt(3);
        int ldb = rowsB + rnd.nextInt(3);
        int ldc = m + 1 + rnd.nextInt(2); // at least one element between columns
        float[] a = values(lda * colsA, f);
        float[] b = values(ldb * colsB, f);
        float[] c = values(ldc * n, f);
        DevicePtr c16 = beta == 0f ? nans(2L * c.length) : upload16(c, f);
        DevicePtr c32 = beta == 0f ? nans(4L * c.length) : upload(device, c);
        short[] before = shorts(c16, c.length);
        blas.gemm(f, ta, tb, m, n, k, alpha, upload16(a, f), lda, upload16(b, f), ldb, beta, c16, ldc);
        blas.sgemm(ta, tb, m, n, k, alpha, upload(device, a), lda, upload(device, b), ldb, beta, c32, ldc);
        String what = "gemm " + ta + tb + " m=" + m + " n=" + n + " k=" + k + " lda=" + lda + " ldb=" + ldb + " ldc="
                + ldc + " alpha=" + alpha + " beta=" + beta;
        double[] full = SimBlasTest.naiveSgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        float[] got = mem.readHalfAsFloats(c16, c.length, f);
        float[] f32 = mem.readFloats(c32, c.length);
        float[] gotC = new float[m * n];
        float[] f32C = new float[m * n];
        double[] refC = new double[m * n];
        short[] after = shorts(c16, c.length);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < ldc; i++) {
                int at = i + j * ldc;
                if (i < m) {
                    gotC[i + j * m] = got[at];
                    f32C[i + j * m] = f32[at];
                    refC[i + j * m] = full[at];
                } else if (at < c.length) {
                    assertEquals(before[at], after[at], what + ": element " + i + " between columns changed");
                }
            }
        }
        assertRounded(f, f32C, gotC, refC, 1e-6 * Math.max(1, k), what);
    }

    private short[] shorts(DevicePtr p, int count) {
        short[] s = new short[count];
        mem.bytes(p, 2L * count, 2).asShortBuffer().get(s);
        return s;
    }

    @Test
    void gemmIsTheRoundedSgemmForAllTransposes() {
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {17, 2, 9}, {33, 31, 65}};
        float[][] scalars = {{1f, 0f}, {0.75f, -1.25f}};
        for (StorageFormat f : HALVES) {
            for (Op ta : Op.values()) {
                for (Op tb : Op.values()) {
                    for (int[] s : sizes) {
                        for (float[] ab : scalars) {
                            checkGemm(f, ta, tb, s[0], s[1], s[2], ab[0], ab[1]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void largeGemmSplitAcrossThreadsIsTheRoundedSgemm() {
        for (StorageFormat f : HALVES) {
            checkGemm(f, Op.N, Op.T, 130, 120, 70, 1f, 0.5f);  // 130 * 120 * 70 > 2^20 multiply-adds
            checkGemm(f, Op.T, Op.N, 97, 201, 64, -0.5f, 0f);
        }
    }

    // ---------------------------------------------------------------- checks

    @Test
    void mixedTypesAreRefusedAsCudnnRefusesThem() {
        String bad = "CUDNN_STATUS_BAD_PARAM";
        String unsupported = "CUDNN_STATUS_NOT_SUPPORTED";
        Conv g = CONVS.get(0);
        StorageFormat f = StorageFormat.F16;
        StorageFormat o = StorageFormat.BF16;
        ConvDescs h = new ConvDescs(g, f);
        TensorDesc yOther = dnn.tensor(g.n, g.k, g.ho(), g.wo(), o);
        TensorDesc xOther = dnn.tensor(g.n, g.c, g.h, g.w, StorageFormat.F32);
        FilterDesc wOther = dnn.filter(g.k, g.c, g.r, g.r, o);
        DevicePtr big = mem.alloc(1 << 16);
        int fwd = h.algo(ConvPass.FORWARD);
        assertStatus(bad, () -> dnn.convolutionAlgorithms(ConvPass.FORWARD, h.x, h.w, h.conv, yOther));
        assertStatus(bad, () -> dnn.convolutionForward(1f, h.x, big, h.w, big, h.conv, fwd, workspace, WORKSPACE, 0f,
                yOther, big));
        assertStatus(bad, () -> dnn.convolutionForward(1f, xOther, big, h.w, big, h.conv, fwd, workspace, WORKSPACE,
                0f, h.y, big));
        assertStatus(bad, () -> dnn.convolutionForward(1f, h.x, big, wOther, big, h.conv, fwd, workspace, WORKSPACE,
                0f, h.y, big));
        assertStatus(bad, () -> dnn.convolutionBackwardData(1f, h.w, big, yOther, big, h.conv,
                h.algo(ConvPass.BACKWARD_DATA), workspace, WORKSPACE, 0f, h.x, big));
        assertStatus(bad, () -> dnn.convolutionBackwardData(1f, h.w, big, h.y, big, h.conv,
                h.algo(ConvPass.BACKWARD_DATA), workspace, WORKSPACE, 0f, xOther, big));
        assertStatus(bad, () -> dnn.convolutionBackwardFilter(1f, h.x, big, h.y, big, h.conv,
                h.algo(ConvPass.BACKWARD_FILTER), workspace, WORKSPACE, 0f, wOther, big));
        assertStatus(bad, () -> dnn.convolutionBackwardBias(1f, h.y, big, 0f, dnn.tensor(1, g.k, 1, 1, o), big));
        assertStatus(bad, () -> dnn.addTensor(1f, dnn.tensor(1, g.k, 1, 1, o), big, 1f, h.y, big));
        assertStatus(bad, () -> dnn.addTensor(1f, dnn.tensor(1, g.k, 1, 1), big, 1f, h.y, big));

        PoolDesc pd = dnn.maxPooling(3, 3, 0, 0, 2, 2, false);
        TensorDesc px = dnn.tensor(1, 2, 13, 13, f);
        TensorDesc py = dnn.tensor(1, 2, 6, 6, f);
        TensorDesc pyOther = dnn.tensor(1, 2, 6, 6, o);
        TensorDesc pxOther = dnn.tensor(1, 2, 13, 13, StorageFormat.F32);
        assertStatus(bad, () -> dnn.poolingForward(pd, 1f, px, big, 0f, pyOther, big));
        assertStatus(bad, () -> dnn.poolingBackward(pd, 1f, py, big, pyOther, big, px, big, 0f, px, big));
        assertStatus(bad, () -> dnn.poolingBackward(pd, 1f, py, big, py, big, px, big, 0f, pxOther, big));

        LrnDesc ld = dnn.lrn(5, 1e-4, 0.75, 2);
        TensorDesc l = dnn.tensor(1, 7, 3, 4, f);
        TensorDesc lOther = dnn.tensor(1, 7, 3, 4, o);
        assertStatus(unsupported, () -> dnn.lrnForward(ld, 1f, l, big, 0f, lOther, big));
        assertStatus(unsupported, () -> dnn.lrnBackward(ld, 1f, l, big, lOther, big, l, big, 0f, l, big));
        assertStatus(unsupported, () -> dnn.lrnBackward(ld, 1f, l, big, l, big, l, big, 0f, lOther, big));

        // The same calls with one type throughout pass these checks.
        dnn.poolingForward(pd, 1f, px, big, 0f, py, big);
        dnn.lrnForward(ld, 1f, l, big, 0f, l, big.plus(1 << 14));
        assertStatus(bad, () -> dnn.tensor(1, 1, 1, 1, null));
        assertStatus(bad, () -> dnn.filter(1, 1, 1, 1, null));
    }

    @Test
    void pointerChecksCountTwoBytesPerSixteenBitElement() {
        for (StorageFormat f : HALVES) {
            int n = 2;
            int c = 3;
            int hw = 15;
            int count = n * c * hw;
            TensorDesc yd = dnn.tensor(n, c, 3, 5, f);
            TensorDesc bd = dnn.tensor(1, c, 1, 1, f);
            DevicePtr b = upload16(values(c, f), f);
            DevicePtr exact = upload16(values(count, f), f);          // exactly 2 * count bytes: fine
            dnn.addTensor(1f, bd, b, 1f, yd, exact);
            DevicePtr short1 = mem.alloc(2L * count - 1);                // one byte short
            assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> dnn.addTensor(1f, bd, b, 1f, yd, short1));
            DevicePtr roomy = mem.alloc(2L * count + 2);
            dnn.addTensor(1f, bd, b, 0f, yd, roomy.plus(2));             // 2-byte aligned: fine for 16-bit
            assertStatus("CUDA_ERROR_MISALIGNED_ADDRESS", () -> dnn.addTensor(1f, bd, b, 0f, yd, roomy.plus(1)));

            // A 16-bit filter in exactly 2 * its count bytes.
            Conv g = CONVS.get(0);
            ConvDescs h = new ConvDescs(g, f);
            DevicePtr x = upload16(values(g.xCount(), f), f);
            DevicePtr y = mem.alloc(2L * g.yCount());
            DevicePtr w = upload16(values(g.wCount(), f), f);
            DevicePtr wShort = mem.alloc(2L * g.wCount() - 1);
            int algo = h.algo(ConvPass.FORWARD);
            dnn.convolutionForward(1f, h.x, x, h.w, w, h.conv, algo, workspace, WORKSPACE, 0f, h.y, y);
            assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> dnn.convolutionForward(1f, h.x, x, h.w, wShort, h.conv,
                    algo, workspace, WORKSPACE, 0f, h.y, y));

            // GEMM: A (3 x 4), B (4 x 5), C (3 x 5) each in exactly 2 * elements bytes; one byte short fails.
            DevicePtr a = upload16(values(12, f), f);
            DevicePtr bm = upload16(values(20, f), f);
            DevicePtr cm = mem.alloc(30);
            blas.gemm(f, Op.N, Op.N, 3, 5, 4, 1f, a, 3, bm, 4, 0f, cm, 3);
            DevicePtr aShort = mem.alloc(23);
            DevicePtr cShort = mem.alloc(29);
            assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS",
                    () -> blas.gemm(f, Op.N, Op.N, 3, 5, 4, 1f, aShort, 3, bm, 4, 0f, cm, 3));
            assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS",
                    () -> blas.gemm(f, Op.N, Op.N, 3, 5, 4, 1f, a, 3, bm, 4, 0f, cShort, 3));
            assertStatus("CUBLAS_STATUS_INVALID_VALUE",
                    () -> blas.gemm(f, Op.N, Op.N, 3, 5, 4, 1f, a, 2, bm, 4, 0f, cm, 3)); // lda < m
        }
        assertStatus("CUBLAS_STATUS_INVALID_VALUE", () -> blas.gemm(null, Op.N, Op.N, 1, 1, 1, 1f,
                DevicePtr.NULL, 1, DevicePtr.NULL, 1, 0f, DevicePtr.NULL, 1));
    }

    @Test
    void descriptorTypesAndMathTypesAreRecorded() {
        dnn.tensor(1, 2, 3, 4);
        dnn.tensor(1, 2, 3, 4, StorageFormat.F16);
        dnn.filter(1, 2, 3, 3, StorageFormat.BF16);
        dnn.tensor(1, 2, 3, 4, StorageFormat.BF16);
        dnn.filter(1, 2, 3, 3);
        dnn.convolution(0, 0, 1, 1, true);
        dnn.convolution(0, 0, 1, 1, false);
        assertEquals(List.of("CUDNN_DATA_FLOAT", "CUDNN_DATA_HALF", "CUDNN_DATA_BFLOAT16"), dnn.tensorDataTypes());
        assertEquals(List.of("CUDNN_DATA_BFLOAT16", "CUDNN_DATA_FLOAT"), dnn.filterDataTypes());
        assertEquals(List.of("CUDNN_TENSOR_OP_MATH", "CUDNN_FMA_MATH"), dnn.convolutionMathTypes());
        assertTrue(dnn.tensor(1, 2, 3, 4, StorageFormat.F16).toString().endsWith("float16"));
    }

    @Test
    void memoryStoresSixteenBitValuesRoundedToNearestEven() {
        for (StorageFormat f : HALVES) {
            float[] v = randomFloats(rnd, 257);
            DevicePtr p = mem.alloc(2L * v.length);
            mem.writeFloatsAsHalf(p, v, f);
            float[] back = mem.readHalfAsFloats(p, v.length, f);
            short[] raw = shorts(p, v.length);
            for (int i = 0; i < v.length; i++) {
                assertEquals(f.encode(v[i]), raw[i], f + " element " + i + " seed " + seed);
                assertEquals(f.round(v[i]), back[i]);
                assertTrue(Math.abs(back[i] - v[i]) <= unitRoundoff(f) * Math.abs(v[i]), f + " " + v[i]);
            }
            assertArrayEquals(back, mem.readAsFloats(p, v.length, f));
            assertStatus("CUDA_ERROR_MISALIGNED_ADDRESS", () -> mem.readHalfAsFloats(p.plus(1), 1, f));
            assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> mem.readHalfAsFloats(p, v.length + 1, f));
        }
    }
}
