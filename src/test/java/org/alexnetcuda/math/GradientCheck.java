package org.alexnetcuda.math;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central-difference gradient checks in double precision.
 *
 * <p>The scalar checked is L(x) = sum_i r_i * f(x)_i for a fixed random r, so dL/dy = r. The numeric derivative
 * dL/dx_j = (L(x + h e_j) - L(x - h e_j)) / 2h is taken through a double-precision reference forward f (plain
 * loops, written independently of the layer under test), so it is accurate to about h^2; the layer's float
 * backward, given dy = r, is compared with it by relative error.
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /** Uniform values in [-1, 1) from a fresh seed; never zeros. */
    public static float[] randomFloats(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }

    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /**
     * Numeric gradient of L(x) = dot(r, f(x)) for each index in {@code indices} of x (double throughout).
     *
     * @param f the double reference forward
     * @param x the point (not modified on return)
     * @param r the weights of the outputs, i.e. dL/dy
     */
    public static double[] numericGradient(Function<double[], double[]> f, double[] x, double[] r, int[] indices, double h) {
        double[] g = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int j = indices[k];
            double saved = x[j];
            x[j] = saved + h;
            double plus = dot(r, f.apply(x));
            x[j] = saved - h;
            double minus = dot(r, f.apply(x));
            x[j] = saved;
            g[k] = (plus - minus) / (2 * h);
        }
        return g;
    }

    /** Up to {@code count} distinct random indices in [0, n) (all of them when n <= count). */
    public static int[] sampleIndices(SplittableRandom rnd, int n, int count) {
        if (n <= count) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] idx = new int[count];
        java.util.BitSet used = new java.util.BitSet(n);
        for (int k = 0; k < count; k++) {
            int j;
            do {
                j = rnd.nextInt(n);
            } while (used.get(j));
            used.set(j);
            idx[k] = j;
        }
        return idx;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Relative error max_k |a_k - b_k| / max(max_k |b_k|, floor): the error scaled by the reference's magnitude,
     * so tiny components do not dominate.
     */
    public static double relativeError(double[] actual, double[] expected, double floor) {
        double maxDiff = 0;
        double maxRef = floor;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        return maxDiff / maxRef;
    }

    /** Picks actual[indices[k]] as doubles. */
    public static double[] pick(float[] actual, int[] indices) {
        double[] d = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            d[k] = actual[indices[k]];
        }
        return d;
    }

    public static void assertClose(String what, double[] actual, double[] expected, double bound) {
        double err = relativeError(actual, expected, 1e-12);
        assertTrue(err <= bound, () -> what + ": relative error " + err + " > " + bound);
    }
}
