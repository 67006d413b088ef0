package org.alexnetcuda.engine.cpu;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.GradientCheck;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MaxPoolTest {

    /** Naive double reference: y[n,c,i,j] = max of the k x k window at (i*s, j*s). */
    static double[] reference(double[] x, Shape in, int k, int s) {
        int oh = (in.h() - k) / s + 1;
        int ow = (in.w() - k) / s + 1;
        double[] y = new double[in.n() * in.c() * oh * ow];
        int o = 0;
        for (int n = 0; n < in.n(); n++) {
            for (int c = 0; c < in.c(); c++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double m = Double.NEGATIVE_INFINITY;
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                m = Math.max(m, x[((n * in.c() + c) * in.h() + i * s + u) * in.w() + j * s + v]);
                            }
                        }
                        y[o++] = m;
                    }
                }
            }
        }
        return y;
    }

    /**
     * Distinct values, a random permutation of (i + 1) * gap, shifted to straddle 0: no ties, and neighbouring values
     * at least {@code gap} apart, so a central difference with h < gap / 2 never moves an argmax.
     */
    static float[] distinctValues(SplittableRandom rnd, int size, float gap) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (i + 1 - size / 2) * gap;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            float t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    @Test
    void outputShapesOfAlexNet() {
        MaxPool pool = new MaxPool("pool", 3, 2);
        assertEquals(new Shape(4, 96, 27, 27), pool.outputShape(new Shape(4, 96, 55, 55)));
        assertEquals(new Shape(4, 256, 13, 13), pool.outputShape(new Shape(4, 256, 27, 27)));
        assertEquals(new Shape(4, 256, 6, 6), pool.outputShape(new Shape(4, 256, 13, 13)));
        assertEquals(new Shape(1, 1, 1, 1), pool.outputShape(new Shape(1, 1, 3, 4)));
        assertThrows(IllegalArgumentException.class, () -> pool.outputShape(new Shape(1, 1, 2, 5)));
    }

    @Test
    void forwardMatchesReference() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] configs = {{3, 2}, {2, 2}, {3, 1}, {3, 3}};
        for (int[] ks : configs) {
            Shape in = new Shape(3, 4, 13, 11);
            MaxPool pool = new MaxPool("pool", ks[0], ks[1]);
            Tensor x = new Tensor(in, GradientCheck.randomFloats(rnd, (int) in.size()));
            Tensor y = new Tensor(pool.outputShape(in));
            pool.forward(x, y, Pass.EVAL);
            double[] expected = reference(GradientCheck.toDouble(x.data), in, ks[0], ks[1]);
            // The max is one of the inputs, so the match is exact.
            assertArrayEquals(expected, GradientCheck.toDouble(y.data), 0.0, "k=" + ks[0] + " s=" + ks[1] + " seed " + seed);
        }
    }

    @Test
    void backwardMatchesNumericGradient() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        Shape in = new Shape(2, 3, 15, 13);
        int k = 3;
        int s = 2;
        MaxPool pool = new MaxPool("pool", k, s);
        float gap = 1e-2f;
        double h = 1e-3; // < gap / 2: no argmax moves
        Tensor x = new Tensor(in, distinctValues(rnd, (int) in.size(), gap));
        Tensor y = new Tensor(pool.outputShape(in));
        pool.forward(x, y, Pass.train(0));
        Tensor dy = new Tensor(y.shape, GradientCheck.randomFloats(rnd, (int) y.shape.size()));
        Tensor dx = new Tensor(in);
        java.util.Arrays.fill(dx.data, 7f); // backward must overwrite, not accumulate
        pool.backward(x, y, dy, dx, Pass.train(0));

        int[] all = GradientCheck.sampleIndices(rnd, (int) in.size(), Integer.MAX_VALUE);
        double[] numeric = GradientCheck.numericGradient(v -> reference(v, in, k, s),
                GradientCheck.toDouble(x.data), GradientCheck.toDouble(dy.data), all, h);
        // Piecewise linear and no kink crossed: the numeric gradient is exact up to rounding (~1e-12); the float
        // backward sums at most 4 dy per position (overlapping 3/2 windows), a few float ulps.
        GradientCheck.assertClose("maxpool dx, seed " + seed, GradientCheck.pick(dx.data, all), numeric, 1e-6);
    }

    @Test
    void tiesGoToTheFirstMaximumInRowMajorOrder() {
        // One 3x3 window, all equal except nothing: the first element (0,0) takes the whole gradient.
        MaxPool pool = new MaxPool("pool", 3, 2);
        Shape in = new Shape(1, 1, 3, 3);
        Tensor x = new Tensor(in, new float[]{1, 5, 5, 2, 5, 0, 5, 1, 1});
        Tensor y = new Tensor(pool.outputShape(in));
        pool.forward(x, y, Pass.EVAL);
        assertEquals(5f, y.data[0]);
        Tensor dy = new Tensor(y.shape, new float[]{3f});
        Tensor dx = new Tensor(in);
        pool.backward(x, y, dy, dx, Pass.EVAL);
        assertArrayEquals(new float[]{0, 3, 0, 0, 0, 0, 0, 0, 0}, dx.data);
    }

    @Test
    void overlappingWindowsSumIntoTheSharedArgmax() {
        // 3x5 input, k=3, s=2: two windows share column 2; the max sits there, so it gets both gradients.
        MaxPool pool = new MaxPool("pool", 3, 2);
        Shape in = new Shape(1, 1, 3, 5);
        float[] v = new float[15];
        for (int i = 0; i < v.length; i++) {
            v[i] = -i;
        }
        v[1 * 5 + 2] = 10f;
        Tensor x = new Tensor(in, v);
        Tensor y = new Tensor(pool.outputShape(in));
        pool.forward(x, y, Pass.EVAL);
        assertArrayEquals(new float[]{10f, 10f}, y.data);
        Tensor dx = new Tensor(in);
        pool.backward(x, y, new Tensor(y.shape, new float[]{0.25f, 0.5f}), dx, Pass.EVAL);
        float[] expected = new float[15];
        expected[7] = 0.75f;
        assertArrayEquals(expected, dx.data);
    }

    @Test
    void nullDxIsSkipped() {
        MaxPool pool = new MaxPool("pool", 3, 2);
        Shape in = new Shape(1, 2, 5, 5);
        Tensor x = new Tensor(in, GradientCheck.randomFloats(new SplittableRandom(1), 50));
        Tensor y = new Tensor(pool.outputShape(in));
        pool.forward(x, y, Pass.EVAL);
        pool.backward(x, y, new Tensor(y.shape), null, Pass.EVAL);
    }
}
