package org.alexnetcuda.engine.cpu;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.CounterRng;
import org.alexnetcuda.math.DropoutMath;
import org.alexnetcuda.math.GradientCheck;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutTest {
    private static final Shape BIG = Shape.vector(250, 4000); // 1e6 elements

    /** Inputs in [0.5, 1.5) with random sign: never zero, so y == 0 exactly when the element was dropped. */
    static Tensor nonZero(SplittableRandom rnd, Shape s) {
        float[] a = new float[(int) s.size()];
        for (int i = 0; i < a.length; i++) {
            float v = (float) (0.5 + rnd.nextDouble());
            a[i] = rnd.nextBoolean() ? v : -v;
        }
        return new Tensor(s, a);
    }

    static boolean[] keptOf(Tensor y) {
        boolean[] k = new boolean[y.data.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = y.data[i] != 0f;
        }
        return k;
    }

    static boolean[] mask(Dropout d, long seed, Shape s, long step) {
        Tensor y = new Tensor(s);
        d.forward(nonZero(new SplittableRandom(seed), s), y, Pass.train(step));
        return keptOf(y);
    }

    /** The mask written from the documented formula, independently of the layer. */
    static boolean referenceKeep(long seed, int layer, long step, int i, float p) {
        long key = seed ^ (layer * 0x9E3779B97F4A7C15L);
        return CounterRng.uniform(key, step, i) >= p;
    }

    @Test
    void keepRateScalingAndDocumentedMask() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (float p : new float[]{0.5f, 0.3f, 0.9f}) {
            long dropSeed = rnd.nextLong();
            long step = rnd.nextInt(1_000_000);
            Dropout d = new Dropout("drop", p, dropSeed, 6);
            Tensor x = nonZero(rnd, BIG);
            Tensor y = new Tensor(BIG);
            d.forward(x, y, Pass.train(step));
            float scale = 1f / (1f - p);
            long kept = 0;
            for (int i = 0; i < x.data.length; i++) {
                boolean keep = referenceKeep(dropSeed, 6, step, i, p);
                if (keep) {
                    kept++;
                    assertEquals(x.data[i] * scale, y.data[i], 0f, "kept element scaled exactly, p=" + p + ", seed " + seed);
                } else {
                    assertEquals(0f, y.data[i], 0f, "dropped element, p=" + p + ", seed " + seed);
                }
            }
            double n = x.data.length;
            double sd = Math.sqrt(n * p * (1 - p));
            assertEquals((1 - p) * n, kept, 6 * sd, "kept count, p=" + p + ", seed " + seed);
        }
    }

    @Test
    void evalAndZeroPAreTheIdentity() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        Shape s = Shape.vector(8, 300);
        Tensor x = nonZero(rnd, s);
        Tensor dy = nonZero(rnd, s);
        for (Dropout d : new Dropout[]{new Dropout("drop", 0.5f, seed, 0), new Dropout("drop0", 0f, seed, 0)}) {
            Pass pass = d.p() == 0f ? Pass.train(5) : Pass.EVAL;
            Tensor y = new Tensor(s);
            d.forward(x, y, pass);
            assertArrayEquals(x.data, y.data, d.name() + ", seed " + seed);
            Tensor dx = new Tensor(s);
            d.backward(x, y, dy, dx, pass);
            assertArrayEquals(dy.data, dx.data, d.name() + ", seed " + seed);
        }
    }

    @Test
    void masksAreReproducibleAndDifferAcrossStepsAndLayers() {
        long seed = new SplittableRandom().nextLong();
        Shape s = BIG;
        Dropout a = new Dropout("drop6", 0.5f, seed, 6);
        boolean[] m10 = mask(a, seed, s, 10);
        boolean[] m11 = mask(a, seed, s, 11);
        // Reproducible from (seed, layer, step), by another instance and after other steps were drawn.
        assertArrayEquals(m10, mask(new Dropout("again", 0.5f, seed, 6), seed + 1, s, 10), "seed " + seed);
        boolean[] other = mask(new Dropout("drop7", 0.5f, seed, 7), seed, s, 10);
        boolean[] otherSeed = mask(new Dropout("drop6b", 0.5f, seed + 1, 6), seed, s, 10);
        // Nearly independent: for p = 1/2 two independent masks agree on half the elements, sd 0.5 / sqrt(n).
        double tol = 6 * 0.5 / Math.sqrt(m10.length);
        assertEquals(0.5, agreement(m10, m11), tol, "step 10 vs 11, seed " + seed);
        assertEquals(0.5, agreement(m10, other), tol, "layer 6 vs 7, seed " + seed);
        assertEquals(0.5, agreement(m10, otherSeed), tol, "seed vs seed+1, seed " + seed);
        // Layer 0 uses the seed itself as its key.
        assertTrue(DropoutMath.layerKey(seed, 0) == seed && DropoutMath.layerKey(seed, 1) != seed);
    }

    private static double agreement(boolean[] a, boolean[] b) {
        long same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                same++;
            }
        }
        return (double) same / a.length;
    }

    @Test
    void backwardUsesTheForwardMaskAndMatchesNumericGradient() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        Shape s = Shape.vector(16, 64);
        float p = 0.5f;
        long dropSeed = rnd.nextLong();
        long step = 12345;
        Dropout d = new Dropout("drop", p, dropSeed, 3);
        Tensor x = nonZero(rnd, s);
        Tensor y = new Tensor(s);
        d.forward(x, y, Pass.train(step));
        Tensor dy = new Tensor(s, GradientCheck.randomFloats(rnd, (int) s.size()));
        Tensor dx = new Tensor(s);
        java.util.Arrays.fill(dx.data, 3f);
        d.backward(x, y, dy, dx, Pass.train(step));
        for (int i = 0; i < dx.data.length; i++) {
            assertEquals(y.data[i] != 0f ? dy.data[i] * 2f : 0f, dx.data[i], 0f, "element " + i + ", seed " + seed);
        }
        // Central differences through a double reference that applies the documented mask.
        java.util.function.Function<double[], double[]> ref = v -> {
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = referenceKeep(dropSeed, 3, step, i, p) ? v[i] / (1 - p) : 0;
            }
            return out;
        };
        int[] idx = GradientCheck.sampleIndices(rnd, (int) s.size(), Integer.MAX_VALUE);
        double[] numeric = GradientCheck.numericGradient(ref, GradientCheck.toDouble(x.data), GradientCheck.toDouble(dy.data), idx, 1e-3);
        // Linear map: exact up to rounding of the sums (~1e-12 relative); dy * 2 is exact in float.
        GradientCheck.assertClose("dropout dx, seed " + seed, GradientCheck.pick(dx.data, idx), numeric, 1e-9);
    }

    @Test
    void inPlaceForwardAndBackward() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        Shape s = Shape.vector(4, 1000);
        Dropout d = new Dropout("drop", 0.5f, seed, 2);
        Tensor x = nonZero(rnd, s);
        Tensor y = new Tensor(s);
        d.forward(x, y, Pass.train(9));
        Tensor xy = new Tensor(s, x.data.clone());
        d.forward(xy, xy, Pass.train(9));
        assertArrayEquals(y.data, xy.data, "seed " + seed);
        Tensor dy = nonZero(rnd, s);
        Tensor dx = new Tensor(s);
        d.backward(x, y, dy, dx, Pass.train(9));
        Tensor g = new Tensor(s, dy.data.clone());
        d.backward(xy, xy, g, g, Pass.train(9));
        assertArrayEquals(dx.data, g.data, "seed " + seed);
    }

    @Test
    void injectedMask() {
        Shape s = Shape.vector(2, 5);
        // Keep even indices at even steps, odd indices at odd steps.
        Dropout d = new Dropout("drop", 0.5f, (step, index) -> (index + step) % 2 == 0);
        Tensor x = new Tensor(s, new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        Tensor y = new Tensor(s);
        d.forward(x, y, Pass.train(1));
        assertArrayEquals(new float[]{0, 4, 0, 8, 0, 12, 0, 16, 0, 20}, y.data);
        Tensor dx = new Tensor(s);
        d.backward(x, y, x, dx, Pass.train(1));
        assertArrayEquals(y.data, dx.data);
    }

    @Test
    void rejectsBadProbabilities() {
        for (float p : new float[]{1f, -0.1f, 1.5f, Float.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new Dropout("drop", p, 1L, 0), "p = " + p);
            assertThrows(IllegalArgumentException.class, () -> new Dropout("drop", p, (st, i) -> true), "p = " + p);
        }
        assertFalse(new Dropout("drop", 0.999f, 1L, 0).scale() <= 0f);
    }
}
