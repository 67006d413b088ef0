package org.alexnetcuda.engine.cpu;

import java.util.SplittableRandom;
import java.util.function.Function;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.GradientCheck;
import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.alexnetcuda.math.GradientCheck.assertClose;
import static org.alexnetcuda.math.GradientCheck.numericGradient;
import static org.alexnetcuda.math.GradientCheck.pick;
import static org.alexnetcuda.math.GradientCheck.randomFloats;
import static org.alexnetcuda.math.GradientCheck.sampleIndices;
import static org.alexnetcuda.math.GradientCheck.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conv2d against an independent double-precision reference: the definition of PyTorch's Conv2d as plain nested
 * loops (y[n,o,i,j] = b[o] + sum_{c,kh,kw} w[o,c,kh,kw] * x[n, c, i*s - p + kh, j*s - p + kw], zero outside).
 *
 * <p>Bounds, as max |error| / max |reference| (GradientCheck.relativeError):
 * <ul>
 * <li>forward: 1e-5. The layer sums in float (k*k*C <= 300 terms here); rounding stays below 1e-6.</li>
 * <li>gradients: 1e-5 against central differences of L = dot(r, y) in double. L is linear in each of x, W, b,
 * so the central difference has no truncation error and is exact to about 1e-12; what remains is the float
 * rounding of the layer's backward (sums over up to a few thousand terms), observed below 1e-6.</li>
 * </ul>
 */
class Conv2dTest {
    private static final double FORWARD_BOUND = 1e-5;
    private static final double GRAD_BOUND = 1e-5;

    /** One conv configuration: batch, in channels, height, width, out channels, kernel, stride, pad. */
    private record Config(int n, int c, int h, int w, int o, int k, int s, int p) {
        int ho() {
            return (h + 2 * p - k) / s + 1;
        }

        int wo() {
            return (w + 2 * p - k) / s + 1;
        }

        @Override
        public String toString() {
            return String.format("N=%d C=%d H=%d W=%d O=%d k=%d s=%d p=%d", n, c, h, w, o, k, s, p);
        }
    }

    /** Small, non-square, channel counts off any block size; strides 1 and 4, pads 0/1/2, kernels 1/3/5/11. */
    private static final Config[] CONFIGS = {
        new Config(2, 3, 7, 9, 5, 3, 1, 1),
        new Config(3, 2, 8, 6, 4, 1, 1, 0),
        new Config(2, 5, 9, 11, 3, 5, 1, 2),
        new Config(2, 3, 23, 19, 4, 11, 4, 1),
        new Config(2, 3, 10, 13, 7, 3, 4, 0),
        new Config(5, 7, 6, 5, 9, 3, 1, 0),
        new Config(2, 2, 12, 10, 3, 5, 4, 2),
        new Config(3, 4, 11, 11, 6, 11, 4, 2),
    };

    /** Larger than Gemm's blocks (K = 270 > 256 rows of col, HW = 289 > 256 columns). */
    private static final Config BIG = new Config(2, 30, 17, 17, 10, 3, 1, 1);

    /** A conv layer over a fresh store with random weights and bias. */
    private static final class Fixture {
        final Config cfg;
        final ParameterStore store;
        final Parameter weight;
        final Parameter bias;
        final Conv2d conv;

        Fixture(Config cfg, SplittableRandom rnd) {
            this.cfg = cfg;
            ParameterStore.Builder b = new ParameterStore.Builder();
            b.add("pad.before", 3); // the layer must use the parameter offsets, not 0
            weight = b.add("conv.weight", cfg.o, cfg.c, cfg.k, cfg.k);
            bias = b.add("conv.bias", cfg.o);
            store = b.build();
            float[] v = randomFloats(rnd, store.size());
            System.arraycopy(v, 0, store.values, 0, v.length);
            conv = new Conv2d("conv", cfg.c, cfg.o, cfg.k, cfg.s, cfg.p, store, weight, bias);
        }

        double[] w() {
            return slice(store.values, weight);
        }

        double[] b() {
            return slice(store.values, bias);
        }

        double[] reference(double[] x, double[] w, double[] b) {
            return referenceConv(cfg, x, w, b);
        }
    }

    static double[] slice(float[] a, Parameter p) {
        double[] d = new double[p.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[p.offset() + i];
        }
        return d;
    }

    /** The definition, in double, independent of im2col and Gemm. */
    static double[] referenceConv(Config g, double[] x, double[] w, double[] b) {
        int ho = g.ho();
        int wo = g.wo();
        double[] y = new double[g.n * g.o * ho * wo];
        for (int n = 0; n < g.n; n++) {
            for (int o = 0; o < g.o; o++) {
                for (int i = 0; i < ho; i++) {
                    for (int j = 0; j < wo; j++) {
                        double s = b[o];
                        for (int c = 0; c < g.c; c++) {
                            for (int kh = 0; kh < g.k; kh++) {
                                int ih = i * g.s - g.p + kh;
                                if (ih < 0 || ih >= g.h) {
                                    continue;
                                }
                                for (int kw = 0; kw < g.k; kw++) {
                                    int iw = j * g.s - g.p + kw;
                                    if (iw < 0 || iw >= g.w) {
                                        continue;
                                    }
                                    s += w[((o * g.c + c) * g.k + kh) * g.k + kw] * x[((n * g.c + c) * g.h + ih) * g.w + iw];
                                }
                            }
                        }
                        y[((n * g.o + o) * ho + i) * wo + j] = s;
                    }
                }
            }
        }
        return y;
    }

    @Test
    void forwardMatchesReference() {
        for (Config cfg : CONFIGS) {
            checkForward(cfg);
        }
        checkForward(BIG);
    }

    private static void checkForward(Config cfg) {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        Fixture f = new Fixture(cfg, rnd);
        Tensor x = new Tensor(new Shape(cfg.n, cfg.c, cfg.h, cfg.w), randomFloats(rnd, cfg.n * cfg.c * cfg.h * cfg.w));
        Shape out = f.conv.outputShape(x.shape);
        assertEquals(new Shape(cfg.n, cfg.o, cfg.ho(), cfg.wo()), out, cfg.toString());
        Tensor y = new Tensor(out, randomFloats(rnd, (int) out.size())); // stale values must be overwritten
        f.conv.forward(x, y, Pass.EVAL);
        double[] expected = f.reference(toDouble(x.data), f.w(), f.b());
        assertClose("seed " + seed + " " + cfg + " forward", toDouble(y.data), expected, FORWARD_BOUND);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        for (Config cfg : CONFIGS) {
            checkGradients(cfg, 150);
        }
        checkGradients(BIG, 20);
    }

    private static void checkGradients(Config cfg, int samples) {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        String what = "seed " + seed + " " + cfg;
        Fixture f = new Fixture(cfg, rnd);
        Tensor x = new Tensor(new Shape(cfg.n, cfg.c, cfg.h, cfg.w), randomFloats(rnd, cfg.n * cfg.c * cfg.h * cfg.w));
        Shape out = f.conv.outputShape(x.shape);
        Tensor y = new Tensor(out);
        f.conv.forward(x, y, Pass.EVAL);
        Tensor dy = new Tensor(out, randomFloats(rnd, (int) out.size()));
        Tensor dx = new Tensor(x.shape, randomFloats(rnd, x.data.length)); // stale values must be overwritten
        f.conv.backward(x, y, dy, dx, Pass.EVAL);

        double[] r = toDouble(dy.data);
        double[] xd = toDouble(x.data);
        double[] wd = f.w();
        double[] bd = f.b();
        double h = 1e-3;

        int[] ix = sampleIndices(rnd, xd.length, samples);
        Function<double[], double[]> fx = v -> f.reference(v, wd, bd);
        assertClose(what + " dx", pick(dx.data, ix), numericGradient(fx, xd, r, ix, h), GRAD_BOUND);

        int[] iw = sampleIndices(rnd, wd.length, samples);
        Function<double[], double[]> fw = v -> f.reference(xd, v, bd);
        assertClose(what + " dW", pick(gradOf(f.store, f.weight), iw), numericGradient(fw, wd, r, iw, h), GRAD_BOUND);

        int[] ib = sampleIndices(rnd, bd.length, samples);
        Function<double[], double[]> fb = v -> f.reference(xd, wd, v);
        assertClose(what + " db", pick(gradOf(f.store, f.bias), ib), numericGradient(fb, bd, r, ib, h), GRAD_BOUND);

        // The padding parameter before the conv's must not receive gradient.
        for (int i = 0; i < 3; i++) {
            assertEquals(0f, f.store.grads[i], what + ": gradient leaked outside the conv's parameters");
        }
    }

    static float[] gradOf(ParameterStore store, Parameter p) {
        float[] g = new float[p.size()];
        System.arraycopy(store.grads, p.offset(), g, 0, g.length);
        return g;
    }

    @Test
    void backwardAccumulatesParameterGradsAndOverwritesDx() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        Config cfg = new Config(3, 4, 9, 8, 5, 3, 1, 1);
        Fixture f = new Fixture(cfg, rnd);
        Tensor x = new Tensor(new Shape(cfg.n, cfg.c, cfg.h, cfg.w), randomFloats(rnd, cfg.n * cfg.c * cfg.h * cfg.w));
        Shape out = f.conv.outputShape(x.shape);
        Tensor y = new Tensor(out);
        f.conv.forward(x, y, Pass.EVAL);
        Tensor dy = new Tensor(out, randomFloats(rnd, (int) out.size()));

        float[] g0 = randomFloats(rnd, f.store.size());
        System.arraycopy(g0, 0, f.store.grads, 0, g0.length);
        Tensor dx = new Tensor(x.shape);
        java.util.Arrays.fill(dx.data, Float.NaN);
        f.conv.backward(x, y, dy, dx, Pass.EVAL);
        float[] g1 = f.store.grads.clone();
        float[] dx1 = dx.data.clone();
        f.conv.backward(x, y, dy, dx, Pass.EVAL);
        float[] g2 = f.store.grads.clone();

        for (float v : dx1) {
            assertTrue(Float.isFinite(v), "seed " + seed + ": dx must be overwritten (NaN survived)");
        }
        assertArrayEquals(dx1, dx.data, "seed " + seed + ": second backward must give the same dx, not add to it");
        double[] once = new double[g0.length];
        double[] twice = new double[g0.length];
        for (int i = 0; i < g0.length; i++) {
            once[i] = 2.0 * ((double) g1[i] - g0[i]);
            twice[i] = (double) g2[i] - g0[i];
        }
        assertClose("seed " + seed + ": grads after two backwards minus before = twice one backward", twice, once, 1e-6);

        // dx == null (first layer) still accumulates the parameter gradients.
        f.conv.backward(x, y, dy, null, Pass.EVAL);
        for (int i = 0; i < g0.length; i++) {
            once[i] = 3.0 * ((double) g1[i] - g0[i]);
            twice[i] = (double) f.store.grads[i] - g0[i];
        }
        assertClose("seed " + seed + ": third backward without dx", twice, once, 1e-6);
    }

    @Test
    void alexNetConv1ShapeAndSampledOutputs() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        Config cfg = new Config(2, 3, 227, 227, 96, 11, 4, 1);
        Fixture f = new Fixture(cfg, rnd);
        Shape in = new Shape(2, 3, 227, 227);
        Shape out = f.conv.outputShape(in);
        assertEquals(new Shape(2, 96, 55, 55), out);
        Tensor x = new Tensor(in, randomFloats(rnd, (int) in.size()));
        Tensor y = new Tensor(out);
        f.conv.forward(x, y, Pass.EVAL);
        // The full reference is 60 M multiply-adds; check 300 random outputs by the definition instead.
        double[] w = f.w();
        double[] b = f.b();
        int[] idx = sampleIndices(rnd, (int) out.size(), 300);
        double[] expected = new double[idx.length];
        for (int q = 0; q < idx.length; q++) {
            int j = idx[q] % 55;
            int i = idx[q] / 55 % 55;
            int o = idx[q] / (55 * 55) % 96;
            int n = idx[q] / (55 * 55 * 96);
            double s = b[o];
            for (int c = 0; c < 3; c++) {
                for (int kh = 0; kh < 11; kh++) {
                    for (int kw = 0; kw < 11; kw++) {
                        int ih = i * 4 - 1 + kh;
                        int iw = j * 4 - 1 + kw;
                        if (ih >= 0 && ih < 227 && iw >= 0 && iw < 227) {
                            s += w[((o * 3 + c) * 11 + kh) * 11 + kw] * x.get(n, c, ih, iw);
                        }
                    }
                }
            }
            expected[q] = s;
        }
        assertClose("seed " + seed + " conv1 sampled outputs", pick(y.data, idx), expected, FORWARD_BOUND);
    }

    @Test
    void rejectsBadShapes() {
        Fixture f = new Fixture(new Config(1, 3, 8, 8, 4, 5, 1, 1), new SplittableRandom(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.conv.outputShape(new Shape(1, 4, 8, 8)));
        assertTrue(e.getMessage().contains("channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.conv.outputShape(new Shape(1, 3, 2, 8)));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertEquals(new Shape(1, 4, 1, 1), f.conv.outputShape(new Shape(1, 3, 3, 3)), "3 + 2*1 - 5 = 0 fits once");
        Tensor x = new Tensor(new Shape(1, 3, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> f.conv.forward(x, new Tensor(new Shape(1, 4, 5, 5)), Pass.EVAL));
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2d("bad", 3, 4, 3, 1, 1, f.store, f.weight, f.bias), "weight is 5x5, not 3x3");
    }
}
