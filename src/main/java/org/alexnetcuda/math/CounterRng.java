package org.alexnetcuda.math;

/**
 * A counter-based random number generator: Philox-4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3", SC 2011), used so that a random number is a pure function of where it is used.
 * Dropout masks are then reproducible from (seed, step, element index) on the CPU and on the GPU alike, with no
 * generator state to carry, and backward recomputes the forward mask.
 *
 * <h2>Philox-4x32-10</h2>
 * State: a counter of four 32-bit words (c0, c1, c2, c3) and a key of two (k0, k1); all arithmetic unsigned mod 2^32.
 * One round, with M0 = 0xD2511F53 and M1 = 0xCD9E8D57, and hi/lo the upper/lower 32 bits of the 64-bit product:
 * <pre>
 *   (hi0, lo0) = M0 * c0        (hi1, lo1) = M1 * c2
 *   (c0, c1, c2, c3) := (hi1 ^ c1 ^ k0,  lo1,  hi0 ^ c3 ^ k1,  lo0)
 * </pre>
 * Ten rounds; round 1 uses the key as given and before each later round the key is bumped by the Weyl constants:
 * k0 += 0x9E3779B9, k1 += 0xBB67AE85. The output is the final counter (c0, c1, c2, c3). This is Random123's
 * philox4x32 with R = 10 (checked against its published known-answer vectors in the tests).
 *
 * <h2>{@link #uniform(long, long, long)} (the GPU kernel computes exactly this)</h2>
 * <pre>
 *   key     = (k0, k1)         = (low32(seed),  high32(seed))
 *   counter = (c0, c1, c2, c3) = (low32(index), high32(index), low32(step), high32(step))
 *   r       = output word 0 of Philox-4x32-10(counter, key)          (words 1..3 are unused)
 *   uniform = (r >>> 8) * 2^-24                                      (top 24 bits, unsigned shift)
 * </pre>
 * The result is a float in [0, 1 - 2^-24], exactly representable (24 bits fit the float significand), so float and
 * double comparisons against it agree and the GPU reproduces it bit for bit.
 */
public final class CounterRng {
    static final int M0 = 0xD2511F53;
    static final int M1 = 0xCD9E8D57;
    static final int W0 = 0x9E3779B9;
    static final int W1 = 0xBB67AE85;
    static final int ROUNDS = 10;

    private CounterRng() {
    }

    /** The uniform in [0, 1) for (seed, step, index), with 24 random bits; see the class comment for the layout. */
    public static float uniform(long seed, long step, long index) {
        return (bits(seed, step, index) >>> 8) * 0x1.0p-24f;
    }

    /** Output word 0 of Philox-4x32-10 for key = seed, counter = (index, step), as in {@link #uniform}. */
    public static int bits(long seed, long step, long index) {
        int[] ctr = {(int) index, (int) (index >>> 32), (int) step, (int) (step >>> 32)};
        int[] key = {(int) seed, (int) (seed >>> 32)};
        return philox4x32(ctr, key)[0];
    }

    /** The full Philox-4x32-10 block: four output words for counter {@code ctr} (4 words) and key {@code key} (2 words). */
    public static int[] philox4x32(int[] ctr, int[] key) {
        if (ctr.length != 4 || key.length != 2) {
            throw new IllegalArgumentException("Philox-4x32 takes 4 counter words and 2 key words");
        }
        int c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
        int k0 = key[0], k1 = key[1];
        for (int round = 0; round < ROUNDS; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
        }
        return new int[]{c0, c1, c2, c3};
    }
}
