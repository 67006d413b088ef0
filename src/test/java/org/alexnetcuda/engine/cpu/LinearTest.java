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
 * Linear against the definition y[n, o] = b[o] + sum_i W[o, i] * x[n, i] in double, with x the NCHW input
 * flattened row-major (PyTorch's flatten).
 *
 * <p>Bounds as max |error| / max |reference|: forward 1e-5 and gradients 1e-5 against central differences of
 * L = dot(r, y). L is linear in each of x, W, b, so the central difference is exact to about 1e-12; the float
 * sums of the layer (up to 600 terms here) round to well below 1e-6.
 */
class LinearTest {
    private static final double FORWARD_BOUND = 1e-5;
    private static final double GRAD_BOUND = 1e-5;

    /** Batch, input shape per sample (C, H, W), out features. Sizes cross the split width (64) and Gemm blocks. */
    private static final int[][] CONFIGS = {
        {1, 1, 1, 1, 1},
        {3, 7, 1, 1, 5},
        {2, 3, 4, 5, 11},   // a (N, C, H, W) input: flatten is implicit
        {5, 37, 1, 1, 130}, // out split across threads
        {4, 6, 10, 10, 70}, // in = 600 > KC, dx split across threads
        {67, 19, 1, 1, 9},  // batch larger than the feature counts
    };

    private static final class Fixture {
        final int n;
        final Shape inShape;
        final int in;
        final int out;
        final ParameterStore store;
        final Parameter weight;
        final Parameter bias;
        final Linear fc;

        Fixture(int[] cfg, SplittableRandom rnd) {
            n = cfg[0];
            inShape = new Shape(cfg[0], cfg[1], cfg[2], cfg[3]);
            in = cfg[1] * cfg[2] * cfg[3];
            out = cfg[4];
            ParameterStore.Builder b = new ParameterStore.Builder();
            b.add("pad.before", 5);
            weight = b.add("fc.weight", out, in);
            bias = b.add("fc.bias", out);
            store = b.build();
            float[] v = randomFloats(rnd, store.size());
            System.arraycopy(v, 0, store.values, 0, v.length);
            fc = new Linear("fc", in, out, store, weight, bias);
        }

        double[] reference(double[] x, double[] w, double[] b) {
            double[] y = new double[n * out];
            for (int s = 0; s < n; s++) {
                for (int o = 0; o < out; o++) {
                    double sum = b[o];
                    for (int i = 0; i < in; i++) {
                        sum += w[o * in + i] * x[s * in + i];
                    }
                    y[s * out + o] = sum;
                }
            }
            return y;
        }

        String describe() {
            return "x " + inShape + " -> " + out;
        }
    }

    @Test
    void forwardMatchesReference() {
        for (int[] cfg : CONFIGS) {
            long seed = System.nanoTime();
            SplittableRandom rnd = new SplittableRandom(seed);
            Fixture f = new Fixture(cfg, rnd);
            Tensor x = new Tensor(f.inShape, randomFloats(rnd, (int) f.inShape.size()));
            Shape outShape = f.fc.outputShape(f.inShape);
            assertEquals(Shape.vector(f.n, f.out), outShape);
            Tensor y = new Tensor(outShape, randomFloats(rnd, f.n * f.out)); // stale values must be overwritten
            f.fc.forward(x, y, Pass.EVAL);
            double[] expected = f.reference(toDouble(x.data), Conv2dTest.slice(f.store.values, f.weight),
                    Conv2dTest.slice(f.store.values, f.bias));
            assertClose("seed " + seed + " " + f.describe() + " forward", toDouble(y.data), expected, FORWARD_BOUND);
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        for (int[] cfg : CONFIGS) {
            long seed = System.nanoTime();
            SplittableRandom rnd = new SplittableRandom(seed);
            Fixture f = new Fixture(cfg, rnd);
            String what = "seed " + seed + " " + f.describe();
            Tensor x = new Tensor(f.inShape, randomFloats(rnd, (int) f.inShape.size()));
            Shape outShape = f.fc.outputShape(f.inShape);
            Tensor y = new Tensor(outShape);
            f.fc.forward(x, y, Pass.EVAL);
            Tensor dy = new Tensor(outShape, randomFloats(rnd, f.n * f.out));
            Tensor dx = new Tensor(f.inShape, randomFloats(rnd, x.data.length));
            f.fc.backward(x, y, dy, dx, Pass.EVAL);

            double[] r = toDouble(dy.data);
            double[] xd = toDouble(x.data);
            double[] wd = Conv2dTest.slice(f.store.values, f.weight);
            double[] bd = Conv2dTest.slice(f.store.values, f.bias);
            double h = 1e-3;

            int[] ix = sampleIndices(rnd, xd.length, 150);
            Function<double[], double[]> fx = v -> f.reference(v, wd, bd);
            assertClose(what + " dx", pick(dx.data, ix), numericGradient(fx, xd, r, ix, h), GRAD_BOUND);

            int[] iw = sampleIndices(rnd, wd.length, 150);
            Function<double[], double[]> fw = v -> f.reference(xd, v, bd);
            assertClose(what + " dW", pick(Conv2dTest.gradOf(f.store, f.weight), iw),
                    numericGradient(fw, wd, r, iw, h), GRAD_BOUND);

            int[] ib = sampleIndices(rnd, bd.length, 150);
            Function<double[], double[]> fb = v -> f.reference(xd, wd, v);
            assertClose(what + " db", pick(Conv2dTest.gradOf(f.store, f.bias), ib),
                    numericGradient(fb, bd, r, ib, h), GRAD_BOUND);

            for (int i = 0; i < 5; i++) {
                assertEquals(0f, f.store.grads[i], what + ": gradient leaked outside the layer's parameters");
            }
        }
    }

    @Test
    void backwardAccumulatesParameterGradsAndOverwritesDx() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        Fixture f = new Fixture(new int[] {6, 5, 3, 3, 150}, rnd);
        Tensor x = new Tensor(f.inShape, randomFloats(rnd, (int) f.inShape.size()));
        Shape outShape = f.fc.outputShape(f.inShape);
        Tensor y = new Tensor(outShape);
        f.fc.forward(x, y, Pass.EVAL);
        Tensor dy = new Tensor(outShape, randomFloats(rnd, f.n * f.out));

        float[] g0 = randomFloats(rnd, f.store.size());
        System.arraycopy(g0, 0, f.store.grads, 0, g0.length);
        Tensor dx = new Tensor(f.inShape);
        java.util.Arrays.fill(dx.data, Float.NaN);
        f.fc.backward(x, y, dy, dx, Pass.EVAL);
        float[] g1 = f.store.grads.clone();
        float[] dx1 = dx.data.clone();
        f.fc.backward(x, y, dy, dx, Pass.EVAL);

        for (float v : dx1) {
            assertTrue(Float.isFinite(v), "seed " + seed + ": dx must be overwritten (NaN survived)");
        }
        assertArrayEquals(dx1, dx.data, "seed " + seed + ": second backward must give the same dx, not add to it");
        double[] once = new double[g0.length];
        double[] twice = new double[g0.length];
        for (int i = 0; i < g0.length; i++) {
            once[i] = 2.0 * ((double) g1[i] - g0[i]);
            twice[i] = (double) f.store.grads[i] - g0[i];
        }
        assertClose("seed " + seed + ": grads after two backwards minus before = twice one backward", twice, once, 1e-6);

        f.fc.backward(x, y, dy, null, Pass.EVAL); // dx == null still accumulates
        for (int i = 0; i < g0.length; i++) {
            once[i] = 3.0 * ((double) g1[i] - g0[i]);
            twice[i] = (double) f.store.grads[i] - g0[i];
        }
        assertClose("seed " + seed + ": third backward without dx", twice, once, 1e-6);
    }

    @Test
    void rejectsBadShapes() {
        Fixture f = new Fixture(new int[] {2, 4, 3, 3, 7}, new SplittableRandom(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.fc.outputShape(new Shape(2, 4, 3, 2)));
        assertTrue(e.getMessage().contains("36"), e.getMessage());
        assertEquals(Shape.vector(2, 7), f.fc.outputShape(new Shape(2, 36, 1, 1)));
        assertEquals(Shape.vector(2, 7), f.fc.outputShape(new Shape(2, 9, 2, 2)));
        Tensor x = new Tensor(new Shape(2, 4, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> f.fc.forward(x, new Tensor(Shape.vector(3, 7)), Pass.EVAL));
        assertThrows(IllegalArgumentException.class,
                () -> new Linear("bad", 37, 7, f.store, f.weight, f.bias), "weight is 7x36");
    }
}
