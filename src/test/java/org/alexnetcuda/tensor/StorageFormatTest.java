package org.alexnetcuda.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * StorageFormat's conversions, which the kernels' half_load/half_store (native-kernels/common.cuh) equal bit for
 * bit: exact widening, round to nearest even, fp16 overflow from 65520, subnormals, quiet NaN of the same sign.
 * fp16 is also checked against numpy (a committed fixture, test-data/storage-format-f16.txt), bf16 against an
 * independent implementation of the rounding rule.
 */
class StorageFormatTest {
    private static final List<StorageFormat> HALVES = List.of(StorageFormat.F16, StorageFormat.BF16);

    private static String hex(int bits) {
        return String.format("0x%04x", bits & 0xffff);
    }

    @Test
    void codesAndSizes() {
        assertEquals(0, StorageFormat.F32.code());
        assertEquals(1, StorageFormat.F16.code());
        assertEquals(2, StorageFormat.BF16.code());
        assertEquals(2, StorageFormat.F16.bytes());
        assertEquals(2, StorageFormat.BF16.bytes());
    }

    /** Every one of the 65536 patterns widens and rounds back to itself; NaNs stay NaNs of the same sign. */
    @Test
    void exhaustiveRoundTrip() {
        for (StorageFormat f : HALVES) {
            int nans = 0;
            for (int b = 0; b < 65536; b++) {
                float v = f.decode((short) b);
                int back = f.encode(v) & 0xffff;
                if (Float.isNaN(v)) {
                    nans++;
                    int expBits = f == StorageFormat.F16 ? 0x7c00 : 0x7f80;
                    assertEquals(expBits, back & expBits, f + " NaN " + hex(b));
                    assertTrue((back & ~expBits & 0x7fff) != 0, f + " NaN " + hex(b) + " became infinity");
                    assertEquals(b & 0x8000, back & 0x8000, f + " NaN sign " + hex(b));
                    // quiet bit set, and a quiet NaN keeps its bits
                    int quiet = f == StorageFormat.F16 ? 0x0200 : 0x0040;
                    assertEquals(quiet, back & quiet, f + " NaN " + hex(b) + " not quiet");
                    if ((b & quiet) != 0) {
                        assertEquals(hex(b), hex(back), f + " quiet NaN");
                    }
                } else {
                    assertEquals(hex(b), hex(back), f + " round trip of " + v);
                    assertEquals(v, f.round(v), 0f);
                }
            }
            assertEquals(2 * (f == StorageFormat.F16 ? 1023 : 127), nans, f + " NaN patterns");
        }
    }

    /** Widening is exact and monotonic: the positive finite patterns decode to increasing values. */
    @Test
    void decodeIsMonotonicAndKnown() {
        for (StorageFormat f : HALVES) {
            float prev = -1f;
            int maxFinite = f == StorageFormat.F16 ? 0x7bff : 0x7f7f;
            for (int b = 0; b <= maxFinite; b++) {
                float v = f.decode((short) b);
                assertTrue(v > prev || (b == 0 && v == 0f), f + " " + hex(b));
                prev = v;
            }
        }
        assertEquals(65504f, StorageFormat.F16.decode((short) 0x7bff), 0f);
        assertEquals(0x1p-24f, StorageFormat.F16.decode((short) 0x0001), 0f);
        assertEquals(0x1p-14f, StorageFormat.F16.decode((short) 0x0400), 0f);
        assertEquals(0x3ffp-24f, StorageFormat.F16.decode((short) 0x03ff), 0f);
        assertEquals(Float.POSITIVE_INFINITY, StorageFormat.F16.decode((short) 0x7c00), 0f);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(StorageFormat.F16.decode((short) 0x8000)));
        assertEquals(1f, StorageFormat.BF16.decode((short) 0x3f80), 0f);
        assertEquals(Float.NEGATIVE_INFINITY, StorageFormat.BF16.decode((short) 0xff80), 0f);
    }

    /** At every midpoint between neighbours the even one wins; a float ulp off the midpoint decides it. */
    @Test
    void tiesToEvenAtMidpoints() {
        for (StorageFormat f : HALVES) {
            int maxFinite = f == StorageFormat.F16 ? 0x7bff : 0x7f7e;
            for (int b = 0; b < maxFinite; b++) {
                double lo = f.decode((short) b);
                double hi = f.decode((short) (b + 1));
                float mid = (float) ((lo + hi) / 2);  // exact: one bit more than the format
                assertEquals((lo + hi) / 2, mid, 0.0);
                int even = (b & 1) == 0 ? b : b + 1;
                assertEquals(hex(even), hex(f.encode(mid)), f + " midpoint above " + hex(b));
                assertEquals(hex(even | 0x8000), hex(f.encode(-mid)), f + " negative midpoint above " + hex(b));
                assertEquals(hex(b), hex(f.encode(Math.nextDown(mid))), f + " below midpoint above " + hex(b));
                assertEquals(hex(b + 1), hex(f.encode(Math.nextUp(mid))), f + " above midpoint above " + hex(b));
            }
        }
    }

    @Test
    void fp16OverflowBoundary() {
        StorageFormat f = StorageFormat.F16;
        assertEquals("0x7bff", hex(f.encode(65504f)));
        assertEquals("0x7bff", hex(f.encode(Math.nextDown(65520f))));
        assertEquals("0x7c00", hex(f.encode(65520f)));  // the midpoint to 2^16 rounds to even: infinity
        assertEquals("0xfc00", hex(f.encode(-65520f)));
        assertEquals("0x7c00", hex(f.encode(65536f)));
        assertEquals("0x7c00", hex(f.encode(Float.MAX_VALUE)));
        assertEquals("0x7c00", hex(f.encode(Float.POSITIVE_INFINITY)));
        assertEquals("0xfc00", hex(f.encode(Float.NEGATIVE_INFINITY)));
        assertEquals("0x7bfe", hex(f.encode(65488f)));  // midpoint of 0x7bfe and 0x7bff: even
        // bf16 has FP32's range: only the top of it rounds to infinity
        assertEquals("0x7f7f", hex(StorageFormat.BF16.encode(Float.intBitsToFloat(0x7f7f7fff))));
        assertEquals("0x7f80", hex(StorageFormat.BF16.encode(Float.intBitsToFloat(0x7f7f8000))));
        assertEquals("0x7f80", hex(StorageFormat.BF16.encode(Float.MAX_VALUE)));
    }

    @Test
    void fp16Subnormals() {
        StorageFormat f = StorageFormat.F16;
        assertEquals("0x0001", hex(f.encode(0x1p-24f)));
        assertEquals("0x0000", hex(f.encode(0x1p-25f)));  // tie between 0 and 2^-24: even is 0
        assertEquals("0x0001", hex(f.encode(Math.nextUp(0x1p-25f))));
        assertEquals("0x0000", hex(f.encode(Math.nextDown(0x1p-25f))));
        assertEquals("0x8000", hex(f.encode(-0x1p-26f)));
        assertEquals("0x0002", hex(f.encode(0x3p-25f)));  // 1.5 * 2^-24: tie between 1 and 2, even is 2
        assertEquals("0x03ff", hex(f.encode(0x3ffp-24f)));
        assertEquals("0x0400", hex(f.encode(0x7ffp-25f)));  // tie between 0x3ff and 0x400 (2^-14): even is 0x400
        assertEquals("0x0400", hex(f.encode(0x1p-14f)));
        assertEquals("0x0000", hex(f.encode(Float.MIN_VALUE)));
        assertEquals("0x8000", hex(f.encode(-Float.MIN_VALUE)));
        assertEquals("0x0000", hex(f.encode(0f)));
        assertEquals("0x8000", hex(f.encode(-0f)));
        // bf16 keeps FP32's subnormals (rounded)
        assertEquals("0x0001", hex(StorageFormat.BF16.encode(Float.intBitsToFloat(0x00010000))));
        assertEquals("0x0000", hex(StorageFormat.BF16.encode(Float.MIN_VALUE)));
        assertEquals("0x0000", hex(StorageFormat.BF16.encode(Float.intBitsToFloat(0x00008000))));  // tie: even
        assertEquals("0x0002", hex(StorageFormat.BF16.encode(Float.intBitsToFloat(0x00018000))));  // tie: even
    }

    @Test
    void nanStaysAQuietNanOfTheSameSign() {
        for (StorageFormat f : HALVES) {
            for (int bits : new int[] {0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff, 0x7fa00000}) {
                float nan = Float.intBitsToFloat(bits);
                float back = f.decode(f.encode(nan));
                assertTrue(Float.isNaN(back), f + " " + Integer.toHexString(bits));
                assertEquals(bits >>> 31, Float.floatToRawIntBits(back) >>> 31, "sign");
                assertEquals(0x00400000, Float.floatToRawIntBits(back) & 0x00400000, "quiet");
            }
        }
        assertEquals("0x7e00", hex(StorageFormat.F16.encode(Float.NaN)));
        assertEquals("0x7fc0", hex(StorageFormat.BF16.encode(Float.NaN)));
    }

    /** bf16 of x by the rounding rule itself: the nearer of the two neighbours, in exact double arithmetic. */
    static int bf16ByRule(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            return ((bits >>> 16) | 0x0040) & 0xffff;
        }
        if (Float.isInfinite(x)) {
            return bits >>> 16;
        }
        int sign = bits & 0x80000000;
        int lo = bits & 0x7fff0000;  // truncation: the neighbour towards zero
        int exp = (bits >>> 23) & 0xff;
        double ulp = Math.scalb(1.0, Math.max(exp, 1) - 127 - 7);
        double a = Math.abs((double) x);
        double down = a - Float.intBitsToFloat(lo);
        double up = Float.intBitsToFloat(lo) + ulp - a;  // 2^128 for the top binade's upper neighbour: fine in double
        int q = lo >>> 16;
        if (up < down || (up == down && (q & 1) == 1)) {
            q++;  // 0x7f7f + 1 = 0x7f80, infinity
        }
        return ((sign >>> 16) | q) & 0xffff;
    }

    @Test
    void bf16MatchesTheRoundingRule() {
        SplittableRandom rnd = new SplittableRandom(16);
        for (int i = 0; i < 1_000_000; i++) {
            int bits = rnd.nextInt();
            if (i % 4 == 1) {
                bits = (bits & 0xffff0000) | 0x8000 | (rnd.nextInt(3) - 1);  // near a midpoint
            } else if (i % 4 == 2) {
                bits = bits & 0x80ffffff;  // subnormal and small
            }
            float x = Float.intBitsToFloat(bits);
            assertEquals(hex(bf16ByRule(x)), hex(StorageFormat.BF16.encode(x)), Integer.toHexString(bits));
        }
        for (int bits : new int[] {0x7f7f8000, 0x7f7fffff, 0x7f7f7fff, 0x00008000, 0x00018000, 0x3f808000,
                0x3f818000, 0xbf808001}) {
            float x = Float.intBitsToFloat(bits);
            assertEquals(hex(bf16ByRule(x)), hex(StorageFormat.BF16.encode(x)), Integer.toHexString(bits));
        }
    }

    // ---- fp16 against numpy: the generator mirrors tools/make_storage_format_fixture.py line for line ----

    private static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            state = seed;
        }

        long next() {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    static int[] fixtureInputs(int count, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            long r = rng.next();
            int kind = (int) (r & 3);
            int bits = (int) (r >>> 32);
            int x;
            if (kind == 0) {
                x = bits;
            } else if (kind == 1) {
                int e = 101 + (int) Long.remainderUnsigned(r >>> 2, 44);
                x = (bits & 0x807fffff) | (e << 23);
            } else if (kind == 2) {
                int m = (int) (((r >>> 4) & 0xffff) % 0x7c00);
                int delta = (int) (((r >>> 2) & 3) % 3) - 1;
                int exp = m >>> 10;
                double ulp = exp == 0 ? 0x1p-24 : Math.scalb(1.0, exp - 25);
                float mid = (float) (StorageFormat.F16.decode((short) m) + ulp / 2);
                x = (Float.floatToRawIntBits(mid) + delta) | (bits & 0x80000000);
            } else {
                x = (0x477fe000 + (int) Long.remainderUnsigned(r >>> 2, 0x2001)) | (bits & 0x80000000);
            }
            out[i] = x;
        }
        return out;
    }

    @Test
    void fp16MatchesNumpy() throws IOException, NoSuchAlgorithmException {
        List<String> lines = Files.readAllLines(Path.of("test-data", "storage-format-f16.txt")).stream()
                .filter(l -> !l.startsWith("#")).toList();
        String[] header = lines.get(0).split(" ");
        int count = Integer.parseInt(header[1]);
        int block = Integer.parseInt(header[3]);
        long seed = Long.decode(header[5]);
        assertEquals(count / block, lines.size() - 1, "blocks in the fixture");
        int[] x = fixtureInputs(count, seed);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(2 * block).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < count / block; b++) {
            buf.clear();
            for (int i = b * block; i < (b + 1) * block; i++) {
                float v = Float.intBitsToFloat(x[i]);
                short h = StorageFormat.F16.encode(v);
                if (Float.isNaN(v)) {
                    // numpy does not set the quiet bit; ours is checked by nanStaysAQuietNanOfTheSameSign
                    assertTrue((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0, "NaN " + Integer.toHexString(x[i]));
                    h = (short) (0x7e00 | (h & 0x8000));
                }
                buf.putShort(h);
            }
            String digest = HexFormat.of().formatHex(sha.digest(buf.array()));
            String[] expected = lines.get(b + 1).split(" ");
            assertEquals(Integer.toString(b), expected[0]);
            assertEquals(expected[1], digest, "block " + b + " (inputs " + b * block + " ..) differs from numpy");
        }
    }
}
