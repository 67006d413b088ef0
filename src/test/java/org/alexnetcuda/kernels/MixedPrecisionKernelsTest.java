package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.SplittableRandom;

import org.alexnetcuda.engine.StorageFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * precision.cu and the mixed-precision Adam of optimizer.cu in the host build, bit for bit against their Java
 * references (org.alexnetcuda.kernels.reference.PrecisionReference, AdamReference), both 16-bit formats; the
 * conversions against StorageFormat itself (every 16-bit pattern, and random floats of every kind), the loss scale
 * against GradScaler's rules, and the mixed Adam against the FP32 Adam on the unscaled gradients.
 */
@ExtendWith(ScheduleReport.class)
class MixedPrecisionKernelsTest {
    private static final MixedPrecisionKernels KERNELS = new MixedPrecisionKernels(new HostKernelLauncher());
    private static final MixedPrecisionKernels REFERENCE = new MixedPrecisionKernels(HostBufferMemory.launcher());

    /** Random float bit patterns, half of them in the 16-bit formats' interesting range, plus midpoints. */
    static float[] randomFloats(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            int bits = rnd.nextInt();
            switch (i % 4) {
                case 1 -> bits = (bits & 0x807fffff) | ((101 + rnd.nextInt(44)) << 23);  // 2^-26 .. 2^17
                case 2 -> bits = (bits & 0xffffe000) | 0x1000 | (rnd.nextInt(3) - 1);    // near fp16 midpoints
                case 3 -> bits = (bits & 0xffff0000) | 0x8000 | (rnd.nextInt(3) - 1);    // near bf16 midpoints
                default -> { }
            }
            v[i] = Float.intBitsToFloat(bits);
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(value = StorageFormat.class, names = {"F16", "BF16"})
    void castsMatchStorageFormatForEveryPatternAndRandomFloats(StorageFormat fmt) {
        // every 16-bit pattern widened, and rounded back
        int n = 65536;
        short[] all = new short[n];
        for (int i = 0; i < n; i++) {
            all[i] = (short) i;
        }
        HostBuffer wide = HostBuffer.zeros(4 * n);
        HostBuffer wideRef = wide.copy();
        KERNELS.toFloat(null, wide, HostBuffer.shorts(all), n, fmt);
        REFERENCE.toFloat(null, wideRef, HostBuffer.shorts(all), n, fmt);
        ReluKernelsTest.assertBitsEqual(wideRef.floats(), wide.floats(), fmt + " cast_to_float");
        ReluKernelsTest.assertBitsEqual(HalfValues.decode(fmt, all), wideRef.floats(), fmt + " reference");
        HostBuffer back = HostBuffer.zeros(2 * n);
        KERNELS.toHalf(null, back, wide, n, fmt);
        HalfValues.assertBitsEqual(HalfValues.encode(fmt, wideRef.floats()), back.shorts(), fmt + " round trip");

        // random floats of every kind
        int m = 1_000_003;
        float[] x = randomFloats(fmt.code(), m);
        HostBuffer h = HostBuffer.zeros(2 * m);
        HostBuffer hr = h.copy();
        KERNELS.toHalf(null, h, HostBuffer.floats(x), m, fmt);
        REFERENCE.toHalf(null, hr, HostBuffer.floats(x), m, fmt);
        HalfValues.assertBitsEqual(hr.shorts(), h.shorts(), fmt + " cast_to_half");
        HalfValues.assertBitsEqual(HalfValues.encode(fmt, x), hr.shorts(), fmt + " reference");
    }

    @ParameterizedTest
    @EnumSource(value = StorageFormat.class, names = {"F16", "BF16"})
    void scaledCastMultipliesByTheDeviceScaleThenRounds(StorageFormat fmt) {
        int n = 10_007;
        float[] x = randomFloats(7, n);
        for (int i = 0; i < n; i += 2) {
            x[i] = (float) (new SplittableRandom(i).nextGaussian() * 1e-3);  // loss gradients are small
        }
        for (float scale : new float[] {65536f, 1f, 0.5f, 3f, 0x1p24f}) {
            HostBuffer s = HostBuffer.bytes(MixedPrecisionKernels.encodeLossScale(scale, 0, 0));
            HostBuffer h = HostBuffer.zeros(2 * n);
            HostBuffer hr = h.copy();
            KERNELS.toHalfScaled(null, h, HostBuffer.floats(x), n, s, fmt);
            REFERENCE.toHalfScaled(null, hr, HostBuffer.floats(x), n, s, fmt);
            HalfValues.assertBitsEqual(hr.shorts(), h.shorts(), fmt + " scale " + scale);
            float[] scaled = x.clone();
            for (int i = 0; i < n; i++) {
                scaled[i] = scaled[i] * scale;
            }
            HalfValues.assertBitsEqual(HalfValues.encode(fmt, scaled), hr.shorts(), fmt + " reference " + scale);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StorageFormat.class, names = {"F16", "BF16"})
    void checkFiniteSetsTheFlagAndNeverClearsIt(StorageFormat fmt) {
        int n = 1_048_583;
        short[] g = HalfValues.finite(3, n, fmt, 10.0);
        // finite gradients: the flag stays clear (and a set flag stays set)
        for (boolean preset : new boolean[] {false, true}) {
            for (MixedPrecisionKernels k : new MixedPrecisionKernels[] {KERNELS, REFERENCE}) {
                byte[] state = MixedPrecisionKernels.encodeLossScale(1024f, 5, 2);
                state[MixedPrecisionKernels.OFFSET_FOUND_INF] = (byte) (preset ? 1 : 0);
                HostBuffer s = HostBuffer.bytes(state);
                k.checkFinite(null, HostBuffer.shorts(g), n, s, fmt);
                assertEquals(preset, MixedPrecisionKernels.decodeFoundInf(s.raw()), "finite, preset " + preset);
                assertEquals(HexFormat.of().formatHex(state), HexFormat.of().formatHex(s.raw()), "nothing else");
            }
        }
        // one non-finite element anywhere (first, last, past the first grid-stride pass) sets it
        float[] bad = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, -Float.NaN};
        int[] where = {0, n - 1, 256 * 4096 + 3, 77};
        for (int w = 0; w < where.length; w++) {
            short[] gg = g.clone();
            gg[where[w]] = fmt.encode(bad[w]);
            for (MixedPrecisionKernels k : new MixedPrecisionKernels[] {KERNELS, REFERENCE}) {
                HostBuffer s = HostBuffer.bytes(MixedPrecisionKernels.encodeLossScale(1024f, 5, 2));
                k.checkFinite(null, HostBuffer.shorts(gg), n, s, fmt);
                assertTrue(MixedPrecisionKernels.decodeFoundInf(s.raw()), bad[w] + " at " + where[w]);
                assertEquals(1024f, MixedPrecisionKernels.decodeScale(s.raw()));
                assertEquals(5, MixedPrecisionKernels.decodeGoodSteps(s.raw()));
            }
        }
        // fp16 overflow: the largest finite value passes, one more ulp is infinity
        if (fmt == StorageFormat.F16) {
            HostBuffer s = HostBuffer.bytes(MixedPrecisionKernels.encodeLossScale(1f, 0, 0));
            KERNELS.checkFinite(null, HostBuffer.shorts((short) 0x7bff, (short) 0xfbff), 2, s, fmt);
            assertFalse(MixedPrecisionKernels.decodeFoundInf(s.raw()));
            KERNELS.checkFinite(null, HostBuffer.shorts((short) 0x7bff, (short) 0x7c00), 2, s, fmt);
            assertTrue(MixedPrecisionKernels.decodeFoundInf(s.raw()));
        }
    }

    /** One loss_scale_update on both sides from the same state; returns the kernel's result. */
    private static byte[] update(byte[] state) {
        HostBuffer s = HostBuffer.bytes(state);
        HostBuffer r = HostBuffer.bytes(state);
        KERNELS.updateScale(null, s);
        REFERENCE.updateScale(null, r);
        assertEquals(HexFormat.of().formatHex(r.raw()), HexFormat.of().formatHex(s.raw()), "loss_scale_update");
        return s.raw();
    }

    private static byte[] withFoundInf(byte[] state) {
        byte[] b = state.clone();
        b[MixedPrecisionKernels.OFFSET_FOUND_INF] = 1;
        return b;
    }

    @Test
    void lossScaleFollowsGradScaler() {
        byte[] s = MixedPrecisionKernels.encodeLossScale(MixedPrecisionKernels.INIT_SCALE, 0, 0);
        assertEquals(24, s.length);
        assertEquals(1f / 65536f, MixedPrecisionKernels.decodeInvScale(s));
        // a good step counts
        s = update(s);
        assertEquals(65536f, MixedPrecisionKernels.decodeScale(s));
        assertEquals(1, MixedPrecisionKernels.decodeGoodSteps(s));
        // an overflow backs off, resets the count, counts a skipped step and clears the flag
        s = update(withFoundInf(s));
        assertEquals(32768f, MixedPrecisionKernels.decodeScale(s));
        assertEquals(1f / 32768f, MixedPrecisionKernels.decodeInvScale(s));
        assertEquals(0, MixedPrecisionKernels.decodeGoodSteps(s));
        assertEquals(1L, MixedPrecisionKernels.decodeSkipped(s));
        assertFalse(MixedPrecisionKernels.decodeFoundInf(s));
        // the 2000th good step in a row grows the scale and restarts the count
        s = update(MixedPrecisionKernels.encodeLossScale(32768f, MixedPrecisionKernels.GROWTH_INTERVAL - 2, 1));
        assertEquals(32768f, MixedPrecisionKernels.decodeScale(s));
        assertEquals(MixedPrecisionKernels.GROWTH_INTERVAL - 1, MixedPrecisionKernels.decodeGoodSteps(s));
        s = update(s);
        assertEquals(65536f, MixedPrecisionKernels.decodeScale(s));
        assertEquals(0, MixedPrecisionKernels.decodeGoodSteps(s));
        assertEquals(1L, MixedPrecisionKernels.decodeSkipped(s));
        // never grown to infinity
        s = update(MixedPrecisionKernels.encodeLossScale(0x1p127f, MixedPrecisionKernels.GROWTH_INTERVAL - 1, 0));
        assertEquals(0x1p127f, MixedPrecisionKernels.decodeScale(s));
        assertEquals(0, MixedPrecisionKernels.decodeGoodSteps(s));
        // inv_scale is the float of the double reciprocal, for a scale that is not a power of two
        s = update(withFoundInf(MixedPrecisionKernels.encodeLossScale(3f, 7, 5)));
        assertEquals(1.5f, MixedPrecisionKernels.decodeScale(s));
        assertEquals((float) (1.0 / 1.5), MixedPrecisionKernels.decodeInvScale(s));
        assertEquals(6L, MixedPrecisionKernels.decodeSkipped(s));
        // repeated overflows down to subnormal scales and zero stay identical on both sides
        for (int i = 0; i < 160; i++) {
            s = update(withFoundInf(s));
        }
        assertEquals(0f, MixedPrecisionKernels.decodeScale(s));
        assertEquals(166L, MixedPrecisionKernels.decodeSkipped(s));
    }

    @Test
    void sixteenBitFormatsOnly() {
        assertThrows(IllegalArgumentException.class,
                () -> REFERENCE.toHalf(null, HostBuffer.zeros(2), HostBuffer.zeros(4), 1, StorageFormat.F32));
        assertThrows(IllegalArgumentException.class,
                () -> REFERENCE.checkFinite(null, HostBuffer.zeros(2), 1, HostBuffer.zeros(24), null));
    }

    // ---- mixed-precision Adam ----

    /** FP32 master weights and moments, their 16-bit copy, and the two device states. */
    record Mixed(HostBuffer p, HostBuffer pHalf, HostBuffer m, HostBuffer v, HostBuffer state, HostBuffer scale) {
        static Mixed fresh(float[] p0, StorageFormat fmt, float lossScale) {
            int n = p0.length;
            return new Mixed(HostBuffer.floats(p0), HostBuffer.shorts(HalfValues.encode(fmt, p0)),
                    HostBuffer.zeros(4 * n), HostBuffer.zeros(4 * n), HostBuffer.bytes(AdamKernels.encodeState(0, 1e-3)),
                    HostBuffer.bytes(MixedPrecisionKernels.encodeLossScale(lossScale, 0, 0)));
        }

        /** One GradScaler step: check the gradients, the skippable Adam step, the scale update. */
        void step(KernelLauncher launcher, short[] grad, AdamKernels.Hyperparameters h, StorageFormat fmt) {
            HostBuffer g = HostBuffer.shorts(grad);
            MixedPrecisionKernels mp = new MixedPrecisionKernels(launcher);
            mp.checkFinite(null, g, grad.length, scale, fmt);
            new AdamKernels(launcher).stepMixed(null, state, scale, p, pHalf, g, m, v, grad.length, h, fmt);
            mp.updateScale(null, scale);
        }

        void assertBitsEqual(Mixed expected, String what) {
            ReluKernelsTest.assertBitsEqual(expected.m.floats(), m.floats(), "m " + what);
            ReluKernelsTest.assertBitsEqual(expected.v.floats(), v.floats(), "v " + what);
            ReluKernelsTest.assertBitsEqual(expected.p.floats(), p.floats(), "param " + what);
            HalfValues.assertBitsEqual(expected.pHalf.shorts(), pHalf.shorts(), "param_half " + what);
            assertEquals(HexFormat.of().formatHex(expected.state.raw()), HexFormat.of().formatHex(state.raw()),
                    "state " + what);
            assertEquals(HexFormat.of().formatHex(expected.scale.raw()), HexFormat.of().formatHex(scale.raw()),
                    "loss scale " + what);
        }
    }

    /** Scaled 16-bit gradients of step s; step 2 overflows (an infinity) and must be skipped. */
    static short[] scaledGradient(int n, int s, StorageFormat fmt, float scale) {
        float[] g = AdamKernelsTest.random(1000L * n + s, n, 0.01 * s);
        short[] h = new short[n];
        for (int i = 0; i < n; i++) {
            h[i] = fmt.encode(g[i] * scale);
        }
        if (s == 2) {
            h[n / 2] = fmt.encode(Float.POSITIVE_INFINITY);
        }
        return h;
    }

    @ParameterizedTest
    @EnumSource(value = StorageFormat.class, names = {"F16", "BF16"})
    void mixedAdamMatchesTheReferenceAndSkipsOverflowingSteps(StorageFormat fmt) {
        for (int n : new int[] {1, 257, 1_048_583}) {
            for (AdamKernels.Hyperparameters h : new AdamKernels.Hyperparameters[] {
                    AdamKernels.Hyperparameters.TORCH_DEFAULTS, new AdamKernels.Hyperparameters(0.8, 0.99, 1e-6, 0.05)}) {
                if (n > 1000 && h != AdamKernels.Hyperparameters.TORCH_DEFAULTS) {
                    continue;
                }
                float[] p0 = AdamKernelsTest.random(n, n, 1.0);
                Mixed kernel = Mixed.fresh(p0, fmt, 1024f);
                Mixed reference = Mixed.fresh(p0, fmt, 1024f);
                for (int s = 1; s <= 4; s++) {
                    float scale = MixedPrecisionKernels.decodeScale(reference.scale.raw());
                    short[] grad = scaledGradient(n, s, fmt, scale);
                    byte[] pBefore = reference.p.raw().clone();
                    HostKernelLauncher launcher = new HostKernelLauncher();
                    kernel.step(launcher, grad, h, fmt);
                    reference.step(HostBufferMemory.launcher(), grad, h, fmt);
                    kernel.assertBitsEqual(reference, fmt + " n=" + n + " step " + s + " " + h);
                    assertEquals(AdamKernels.UPDATE_MIXED, launcher.launches.get(2).kernel());
                    assertEquals(LaunchShape.elementwiseGrid(n), launcher.launches.get(2).gridX());
                    if (s == 2) {
                        assertEquals(HexFormat.of().formatHex(pBefore), HexFormat.of().formatHex(reference.p.raw()),
                                "an overflowing step leaves the weights");
                        assertEquals(1L, AdamKernels.decodeT(reference.state.raw()), "and the step count");
                        assertEquals(512f, MixedPrecisionKernels.decodeScale(reference.scale.raw()));
                        assertEquals(1L, MixedPrecisionKernels.decodeSkipped(reference.scale.raw()));
                    }
                }
                assertEquals(3L, AdamKernels.decodeT(reference.state.raw()));
            }
        }
    }

    /**
     * With exactly representable unscaled gradients, the mixed step is the FP32 Adam (AdamReference, itself the CPU
     * optimizer) on those gradients, and the 16-bit weights are the FP32 ones rounded.
     */
    @ParameterizedTest
    @EnumSource(value = StorageFormat.class, names = {"F16", "BF16"})
    void mixedReferenceIsTheFloatAdamOnTheUnscaledGradients(StorageFormat fmt) {
        int n = 5003;
        AdamKernels.Hyperparameters h = new AdamKernels.Hyperparameters(0.9, 0.999, 1e-8, 0.01);
        float[] p0 = AdamKernelsTest.random(5, n, 1.0);
        Mixed mixed = Mixed.fresh(p0, fmt, 256f);
        AdamKernelsTest.Buffers f32 = AdamKernelsTest.Buffers.fresh(p0, 0, 1e-3);
        AdamKernels reference = new AdamKernels(HostBufferMemory.launcher());
        for (int s = 1; s <= 3; s++) {
            short[] grad = HalfValues.finite(100 + s, n, fmt, 0.01);
            float[] unscaled = HalfValues.decode(fmt, grad);
            short[] scaled = new short[n];
            for (int i = 0; i < n; i++) {
                scaled[i] = fmt.encode(unscaled[i] * 256f);  // exact: a power of two, no overflow or underflow here
                assertEquals(unscaled[i], fmt.decode(scaled[i]) * (1f / 256f), 0f);
            }
            mixed.step(HostBufferMemory.launcher(), scaled, h, fmt);
            f32.step(reference, unscaled, h);
            ReluKernelsTest.assertBitsEqual(f32.p().floats(), mixed.p().floats(), "param step " + s);
            ReluKernelsTest.assertBitsEqual(f32.m().floats(), mixed.m().floats(), "m step " + s);
            ReluKernelsTest.assertBitsEqual(f32.v().floats(), mixed.v().floats(), "v step " + s);
            HalfValues.assertBitsEqual(HalfValues.encode(fmt, f32.p().floats()), mixed.pHalf().shorts(), "half");
        }
    }
}
