package org.alexnetcuda.math;

import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxCrossEntropyTest {

    /** Naive per-sample losses -log(exp(z_label) / sum_k exp(z_k)), no max shift: fine for |z| of a few units. */
    static double[] naiveLosses(double[] z, int n, int classes, int[] labels) {
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(z[i * classes + k]);
            }
            loss[i] = -Math.log(Math.exp(z[i * classes + labels[i]]) / sum);
        }
        return loss;
    }

    static int[] randomLabels(SplittableRandom rnd, int n, int classes) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = rnd.nextInt(classes);
        }
        return l;
    }

    static Tensor randomLogits(SplittableRandom rnd, int n, int classes, double range) {
        float[] z = GradientCheck.randomFloats(rnd, n * classes);
        for (int i = 0; i < z.length; i++) {
            z[i] *= (float) range;
        }
        return new Tensor(Shape.vector(n, classes), z);
    }

    @Test
    void lossAndAccuracyMatchReference() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 37;
        int classes = 10;
        Tensor z = randomLogits(rnd, n, classes, 4);
        int[] labels = randomLabels(rnd, n, classes);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(z, labels, null);
        double expected = 0;
        for (double l : naiveLosses(GradientCheck.toDouble(z.data), n, classes, labels)) {
            expected += l;
        }
        assertEquals(expected, r.lossSum(), 1e-12 * Math.abs(expected), "seed " + seed);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int arg = 0;
            for (int k = 1; k < classes; k++) {
                arg = z.data[i * classes + k] > z.data[i * classes + arg] ? k : arg;
            }
            correct += arg == labels[i] ? 1 : 0;
        }
        assertEquals(correct, r.correct(), "seed " + seed);
    }

    @Test
    void gradientOfTheMeanLossMatchesNumericGradient() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 12;
        int classes = 10;
        Tensor z = randomLogits(rnd, n, classes, 3);
        int[] labels = randomLabels(rnd, n, classes);
        Tensor dz = new Tensor(z.shape);
        java.util.Arrays.fill(dz.data, 5f);
        SoftmaxCrossEntropy.compute(z, labels, dz);
        // f(z) = [mean loss], r = [1]: the numeric gradient of the mean loss.
        java.util.function.Function<double[], double[]> meanLoss = v -> {
            double s = 0;
            for (double l : naiveLosses(v, n, classes, labels)) {
                s += l;
            }
            return new double[]{s / n};
        };
        int[] all = GradientCheck.sampleIndices(rnd, n * classes, Integer.MAX_VALUE);
        double[] numeric = GradientCheck.numericGradient(meanLoss, GradientCheck.toDouble(z.data), new double[]{1}, all, 1e-4);
        // Smooth: truncation ~h^2 = 1e-8, rounding ~1e-16 / h; the analytic gradient is rounded to float (~6e-8).
        GradientCheck.assertClose("dLogits, seed " + seed, GradientCheck.pick(dz.data, all), numeric, 1e-5);
        // Each row of softmax - onehot sums to 0.
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int k = 0; k < classes; k++) {
                row += dz.data[i * classes + k];
            }
            assertEquals(0, row, 1e-7, "row " + i + ", seed " + seed);
        }
    }

    @Test
    void gradientMayOverwriteTheLogits() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        Tensor z = randomLogits(rnd, 9, 10, 3);
        int[] labels = randomLabels(rnd, 9, 10);
        Tensor dz = new Tensor(z.shape);
        SoftmaxCrossEntropy.Result a = SoftmaxCrossEntropy.compute(z, labels, dz);
        SoftmaxCrossEntropy.Result b = SoftmaxCrossEntropy.compute(z, labels, z);
        assertEquals(a, b, "seed " + seed);
        assertArrayEquals(dz.data, z.data, "seed " + seed);
    }

    @Test
    void largeLogitsStayFinite() {
        // Row 0: label is the top logit by 1e4, loss ~ 0. Row 1: label 1e4 below the top, loss ~ 1e4 + log(1 + ...).
        // Row 2: every logit 1e4 (or -1e4 for one), the naive exp would overflow; loss = log(2 + e^-2e4) = log 2.
        Tensor z = new Tensor(Shape.vector(3, 3), new float[]{
                1e4f, 0f, -1e4f,
                1e4f, 0f, -1e4f,
                1e4f, 1e4f, -1e4f});
        int[] labels = {0, 1, 0};
        Tensor dz = new Tensor(z.shape);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(z, labels, dz);
        double expected = 0 + 1e4 + Math.log(2);
        assertEquals(expected, r.lossSum(), 1e-9);
        assertEquals(2, r.correct(), "row 0 and row 2 (tie: first maximum is class 0)");
        float[] expectedGrad = {
                0f, 0f, 0f,
                1f / 3, -1f / 3, 0f,
                (0.5f - 1f) / 3, 0.5f / 3, 0f};
        assertArrayEquals(expectedGrad, dz.data, 1e-7f);
        for (float g : dz.data) {
            assertTrue(Float.isFinite(g));
        }
    }

    @Test
    void tiesCountTheFirstMaximum() {
        Tensor z = new Tensor(Shape.vector(2, 3), new float[]{1f, 3f, 3f, 1f, 3f, 3f});
        assertEquals(1, SoftmaxCrossEntropy.compute(z, new int[]{1, 2}, null).correct());
    }

    @Test
    void rejectsBadLabelsAndShapes() {
        Tensor z = new Tensor(Shape.vector(2, 10));
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.compute(z, new int[]{0, 10}, null));
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.compute(z, new int[]{-1, 0}, null));
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.compute(z, new int[]{0}, null));
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.compute(new Tensor(new Shape(2, 10, 2, 1)), new int[]{0, 0}, null));
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.compute(z, new int[]{0, 0}, new Tensor(Shape.vector(2, 9))));
    }
}
