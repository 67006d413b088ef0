package org.alexnetcuda.math;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterRngTest {

    /**
     * Known-answer vectors of Philox-4x32-10 as published with Random123 (its kat_vectors file): counter words
     * c0..c3, key words k0, k1, then the four output words.
     */
    private static final long[][] KAT = {
            {0x00000000L, 0x00000000L, 0x00000000L, 0x00000000L, 0x00000000L, 0x00000000L,
                    0x6627e8d5L, 0xe169c58dL, 0xbc57ac4cL, 0x9b00dbd8L},
            {0xffffffffL, 0xffffffffL, 0xffffffffL, 0xffffffffL, 0xffffffffL, 0xffffffffL,
                    0x408f276dL, 0x41c83b0eL, 0xa20bc7c6L, 0x6d5451fdL},
            // the digits of pi
            {0x243f6a88L, 0x85a308d3L, 0x13198a2eL, 0x03707344L, 0xa4093822L, 0x299f31d0L,
                    0xd16cfe09L, 0x94fdccebL, 0x5001e420L, 0x24126ea1L},
    };

    /**
     * An independent Philox-4x32-10 in a different style: unsigned words as BigIntegers, products and wrap-around
     * by explicit division and remainder by 2^32, rounds written from the algorithm description.
     */
    static long[] philoxBig(long[] ctr, long[] key) {
        BigInteger two32 = BigInteger.ONE.shiftLeft(32);
        BigInteger[] c = new BigInteger[4];
        for (int i = 0; i < 4; i++) {
            c[i] = BigInteger.valueOf(ctr[i]);
        }
        BigInteger[] k = {BigInteger.valueOf(key[0]), BigInteger.valueOf(key[1])};
        BigInteger m0 = BigInteger.valueOf(0xD2511F53L);
        BigInteger m1 = BigInteger.valueOf(0xCD9E8D57L);
        BigInteger[] weyl = {BigInteger.valueOf(0x9E3779B9L), BigInteger.valueOf(0xBB67AE85L)};
        for (int r = 1; r <= 10; r++) {
            BigInteger[] prod0 = m0.multiply(c[0]).divideAndRemainder(two32); // {hi, lo}
            BigInteger[] prod1 = m1.multiply(c[2]).divideAndRemainder(two32);
            c = new BigInteger[]{prod1[0].xor(c[1]).xor(k[0]), prod1[1], prod0[0].xor(c[3]).xor(k[1]), prod0[1]};
            k = new BigInteger[]{k[0].add(weyl[0]).mod(two32), k[1].add(weyl[1]).mod(two32)};
        }
        long[] out = new long[4];
        for (int i = 0; i < 4; i++) {
            out[i] = c[i].longValueExact();
        }
        return out;
    }

    private static long[] unsigned(int[] words) {
        long[] out = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            out[i] = words[i] & 0xFFFFFFFFL;
        }
        return out;
    }

    @Test
    void knownAnswerVectors() {
        for (long[] v : KAT) {
            long[] ctr = {v[0], v[1], v[2], v[3]};
            long[] key = {v[4], v[5]};
            long[] expected = {v[6], v[7], v[8], v[9]};
            int[] ctrI = {(int) v[0], (int) v[1], (int) v[2], (int) v[3]};
            int[] keyI = {(int) v[4], (int) v[5]};
            assertArrayEquals(expected, unsigned(CounterRng.philox4x32(ctrI, keyI)), "CounterRng, KAT " + Long.toHexString(v[0]));
            assertArrayEquals(expected, philoxBig(ctr, key), "BigInteger reference, KAT " + Long.toHexString(v[0]));
        }
    }

    @Test
    void agreesWithIndependentImplementationOnRandomInputs() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int t = 0; t < 200; t++) {
            int[] ctr = {rnd.nextInt(), rnd.nextInt(), rnd.nextInt(), rnd.nextInt()};
            int[] key = {rnd.nextInt(), rnd.nextInt()};
            long[] expected = philoxBig(unsigned(ctr), unsigned(key));
            assertArrayEquals(expected, unsigned(CounterRng.philox4x32(ctr, key)), "seed " + seed);
        }
    }

    @Test
    void uniformLayout() {
        // key = (low32(seed), high32(seed)); counter = (low32(index), high32(index), low32(step), high32(step));
        // word 0, top 24 bits, times 2^-24. Checked against the BigInteger reference for arguments whose high
        // words are non-zero, so a swapped word would show.
        long seed = 0x0123456789ABCDEFL;
        long step = 0x0000000500000007L;
        long index = 0x0000000B0000000DL;
        long[] out = philoxBig(new long[]{0x0000000DL, 0x0000000BL, 0x00000007L, 0x00000005L},
                new long[]{0x89ABCDEFL, 0x01234567L});
        assertEquals(out[0], CounterRng.bits(seed, step, index) & 0xFFFFFFFFL);
        assertEquals((out[0] >>> 8) / 16777216.0, CounterRng.uniform(seed, step, index), 0.0);

        // The known-answer vectors through the (seed, step, index) layout: pinned values for the GPU kernel's test.
        assertEquals(0x6627e8d5, CounterRng.bits(0L, 0L, 0L));
        assertEquals(0x6627e8 / 16777216.0, CounterRng.uniform(0L, 0L, 0L), 0.0);
        assertEquals(0x408f276d, CounterRng.bits(-1L, -1L, -1L));
        assertEquals(0x408f27 / 16777216.0, CounterRng.uniform(-1L, -1L, -1L), 0.0);
        assertEquals(0xd16cfe09, CounterRng.bits(0x299f31d0_a4093822L, 0x03707344_13198a2eL, 0x85a308d3_243f6a88L));
    }

    @Test
    void uniformIsInRangeAndEvenlySpread() {
        long seed = new SplittableRandom().nextLong();
        int n = 1 << 20;
        int bins = 64;
        long[] count = new long[bins];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float u = CounterRng.uniform(seed, 17, i);
            assertTrue(u >= 0f && u < 1f, "u = " + u + " at " + i + ", seed " + seed);
            sum += u;
            count[(int) (u * bins)]++;
        }
        double mean = sum / n;
        double sigma = Math.sqrt(1.0 / 12 / n);
        assertEquals(0.5, mean, 6 * sigma, "mean, seed " + seed);
        double expected = (double) n / bins;
        double chi2 = 0;
        for (long c : count) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        // 63 degrees of freedom: mean 63, sd ~11.2; 130 is beyond 6 sd (p < 1e-6).
        assertTrue(chi2 < 130, "chi^2 " + chi2 + ", seed " + seed);
    }

    @Test
    void pureFunctionOfItsArguments() {
        long seed = new SplittableRandom().nextLong();
        float a = CounterRng.uniform(seed, 3, 12345);
        CounterRng.uniform(seed + 1, 4, 1);
        assertEquals(a, CounterRng.uniform(seed, 3, 12345), 0f);
        assertTrue(a != CounterRng.uniform(seed, 4, 12345) || a != CounterRng.uniform(seed, 5, 12345), "step matters, seed " + seed);
    }
}
