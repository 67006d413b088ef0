package org.alexnetcuda.kernels;

/**
 * An in-test Java Philox-4x32-10 and the dropout mask of native-kernels/philox.cuh and dropout.cu, written
 * independently of (and with the same layout as) org.alexnetcuda.engine.cpu.CounterRng and Dropout of branch
 * `layers`; DropoutKernelsTest also checks values computed with those classes.
 *
 * <p>TODO(after merging `layers`): compare the kernels with CounterRng/Dropout directly and keep only the
 * known-answer check here.
 */
final class PhiloxReference {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    private PhiloxReference() {
    }

    /** Philox-4x32 with 10 rounds on counter c[0..3] and key k[0..1] (Random123's word order). */
    static int[] philox4x32x10(int[] counter, int[] key) {
        int c0 = counter[0];
        int c1 = counter[1];
        int c2 = counter[2];
        int c3 = counter[3];
        int k0 = key[0];
        int k1 = key[1];
        for (int round = 0; round < 10; round++) {
            long p0 = Integer.toUnsignedLong(M0) * Integer.toUnsignedLong(c0);
            long p1 = Integer.toUnsignedLong(M1) * Integer.toUnsignedLong(c2);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** The random word of element {@code index}: word 0 of counter (index, step), key = the layer key. */
    static int word(long key, long step, long index) {
        int[] r = philox4x32x10(new int[] {(int) index, (int) (index >>> 32), (int) step, (int) (step >>> 32)},
                new int[] {(int) key, (int) (key >>> 32)});
        return r[0];
    }

    /** A word as a uniform float in [0, 1): its top 24 bits times 2^-24. */
    static float uniform(int word) {
        return (word >>> 8) * 0x1.0p-24f;
    }

    /** Dropout of x: keep ? x * (1f / (1f - p)) : 0, keep = uniform >= p. */
    static float[] dropout(float[] x, float p, long key, long step) {
        float scale = 1.0f / (1.0f - p);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = uniform(word(key, step, i)) >= p ? x[i] * scale : 0.0f;
        }
        return y;
    }
}
