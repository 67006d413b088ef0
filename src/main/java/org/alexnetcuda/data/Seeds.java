package org.alexnetcuda.data;

/**
 * Seed derivation shared by the data pipeline, written out so that another implementation (a GPU kernel, a Python
 * check) can reproduce every random stream exactly.
 */
public final class Seeds {
    /** The 64-bit golden ratio, 2^64 / phi, the increment SplitMix64 uses. */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /**
     * The SplitMix64 finaliser (Stafford's "Mix13"): z ^= z >>> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >>> 27;
     * z *= 0x94D049BB133111EB; z ^= z >>> 31. A bijection on 64-bit values that spreads every input bit.
     */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A child seed: h = seed; for each part p: h = mix64(h + GOLDEN * (p + 1)). Distinct part lists give
     * independent-looking streams (the +1 keeps part 0 from being a no-op).
     */
    public static long derive(long seed, long... parts) {
        long h = seed;
        for (long p : parts) {
            h = mix64(h + GOLDEN * (p + 1));
        }
        return h;
    }
}
