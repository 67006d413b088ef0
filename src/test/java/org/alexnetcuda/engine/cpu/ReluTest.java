package org.alexnetcuda.engine.cpu;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.GradientCheck;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReluTest {
    private static final Shape SHAPE = new Shape(3, 5, 7, 6);

    static double[] reference(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0 ? x[i] : 0;
        }
        return y;
    }

    /** Random values in [-1, 1) kept at least {@code margin} away from the kink at 0. */
    static float[] awayFromZero(SplittableRandom rnd, int n, double margin) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            double mag = margin + rnd.nextDouble() * (1 - margin);
            a[i] = (float) (rnd.nextBoolean() ? mag : -mag);
        }
        return a;
    }

    @Test
    void forwardMatchesReference() {
        long seed = new SplittableRandom().nextLong();
        Tensor x = new Tensor(SHAPE, GradientCheck.randomFloats(new SplittableRandom(seed), (int) SHAPE.size()));
        Tensor y = new Tensor(SHAPE);
        new Relu("relu").forward(x, y, Pass.EVAL);
        assertArrayEquals(reference(GradientCheck.toDouble(x.data)), GradientCheck.toDouble(y.data), 0.0, "seed " + seed);
    }

    @Test
    void backwardMatchesNumericGradient() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        double h = 1e-3;
        Tensor x = new Tensor(SHAPE, awayFromZero(rnd, (int) SHAPE.size(), 1e-2)); // margin > h: no kink crossed
        Tensor y = new Tensor(SHAPE);
        Relu relu = new Relu("relu");
        relu.forward(x, y, Pass.train(3));
        Tensor dy = new Tensor(SHAPE, GradientCheck.randomFloats(rnd, (int) SHAPE.size()));
        Tensor dx = new Tensor(SHAPE);
        java.util.Arrays.fill(dx.data, 9f);
        relu.backward(x, y, dy, dx, Pass.train(3));
        int[] idx = GradientCheck.sampleIndices(rnd, (int) SHAPE.size(), 400);
        double[] numeric = GradientCheck.numericGradient(ReluTest::reference, GradientCheck.toDouble(x.data),
                GradientCheck.toDouble(dy.data), idx, h);
        // Linear pieces: the numeric gradient is dy or 0 up to rounding, and the backward copies dy exactly.
        GradientCheck.assertClose("relu dx, seed " + seed, GradientCheck.pick(dx.data, idx), numeric, 1e-9);
    }

    @Test
    void worksInPlace() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] orig = GradientCheck.randomFloats(rnd, (int) SHAPE.size());
        float[] grad = GradientCheck.randomFloats(rnd, (int) SHAPE.size());

        // Out of place, as the reference.
        Relu relu = new Relu("relu");
        Tensor x = new Tensor(SHAPE, orig.clone());
        Tensor y = new Tensor(SHAPE);
        relu.forward(x, y, Pass.train(0));
        Tensor dx = new Tensor(SHAPE);
        relu.backward(x, y, new Tensor(SHAPE, grad.clone()), dx, Pass.train(0));

        // x == y and dy == dx.
        Tensor xy = new Tensor(SHAPE, orig.clone());
        relu.forward(xy, xy, Pass.train(0));
        assertArrayEquals(y.data, xy.data, "in-place forward, seed " + seed);
        Tensor g = new Tensor(SHAPE, grad.clone());
        relu.backward(xy, xy, g, g, Pass.train(0));
        assertArrayEquals(dx.data, g.data, "in-place backward, seed " + seed);
    }

    @Test
    void zeroAndNegativeZeroAndNaN() {
        Shape s = new Shape(1, 4, 1, 1);
        Tensor x = new Tensor(s, new float[]{0f, -0f, Float.NaN, -3f});
        Tensor y = new Tensor(s);
        Relu relu = new Relu("relu");
        relu.forward(x, y, Pass.EVAL);
        assertEquals(0, Float.compare(0f, y.data[0]));
        assertEquals(0, Float.compare(0f, y.data[1]), "-0 maps to +0");
        assertTrue(Float.isNaN(y.data[2]));
        assertEquals(0, Float.compare(0f, y.data[3]));
        Tensor dx = new Tensor(s);
        relu.backward(x, y, new Tensor(s, new float[]{1, 1, 1, 1}), dx, Pass.EVAL);
        assertArrayEquals(new float[]{0, 0, 0, 0}, dx.data, "gradient 0 at the kink and for NaN");
    }
}
