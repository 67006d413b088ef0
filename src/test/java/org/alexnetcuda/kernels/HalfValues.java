package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.alexnetcuda.tensor.StorageFormat;

/** Inputs and comparisons for the kernels on 16-bit tensors (raw fp16 or bf16 bits). */
final class HalfValues {
    private HalfValues() {
    }

    /**
     * n elements of format f: mostly gaussian values (sd 3) rounded to f, one in 8 an arbitrary bit pattern (NaNs
     * with payloads, infinities, subnormals), one in 50 a special (zeros, infinities, NaN, the extremes).
     */
    static short[] random(long seed, int n, StorageFormat f) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 65504f, -65504f,
                0x1p-24f, -0x1p-24f, Float.MAX_VALUE, Float.MIN_VALUE};
        short[] h = new short[n];
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(400);
            if (k < 50) {
                h[i] = (short) rnd.nextInt(65536);
            } else if (k < 58) {
                h[i] = f.encode(specials[rnd.nextInt(specials.length)]);
            } else {
                h[i] = f.encode((float) (rnd.nextGaussian() * 3));
            }
        }
        return h;
    }

    /** n finite elements of format f: gaussian values with standard deviation sd, rounded. */
    static short[] finite(long seed, int n, StorageFormat f, double sd) {
        SplittableRandom rnd = new SplittableRandom(seed);
        short[] h = new short[n];
        for (int i = 0; i < n; i++) {
            h[i] = f.encode((float) (rnd.nextGaussian() * sd));
        }
        return h;
    }

    static float[] decode(StorageFormat f, short[] h) {
        float[] v = new float[h.length];
        for (int i = 0; i < h.length; i++) {
            v[i] = f.decode(h[i]);
        }
        return v;
    }

    static short[] encode(StorageFormat f, float[] v) {
        short[] h = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            h[i] = f.encode(v[i]);
        }
        return h;
    }

    static void assertBitsEqual(short[] expected, short[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                throw new AssertionError(what + ": element " + i + " expected 0x"
                        + Integer.toHexString(expected[i] & 0xffff) + " got 0x" + Integer.toHexString(actual[i] & 0xffff));
            }
        }
    }
}
