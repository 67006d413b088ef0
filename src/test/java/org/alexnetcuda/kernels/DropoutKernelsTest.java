package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.engine.Shape;
import org.alexnetcuda.engine.StorageFormat;
import org.alexnetcuda.engine.Tensor;
import org.alexnetcuda.engine.cpu.CounterRng;
import org.alexnetcuda.engine.cpu.Dropout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * dropout.cu in the host build: bit-identical to its Java reference (org.alexnetcuda.kernels.reference.
 * DropoutReference, which runs the CPU engine's CounterRng and Dropout element functions) and to the CPU engine's
 * Dropout layer for the same seed, layer and step; plus the statistical and reproducibility properties dropout needs.
 */
@ExtendWith(ScheduleReport.class)
class DropoutKernelsTest {
    private static final int FC = 64 * 4096;

    /** Random123's known-answer vectors for philox4x32 with 10 rounds: counter, key, expected output. */
    @Test
    void philoxMatchesKnownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                CounterRng.philox4x32(new int[] {0, 0, 0, 0}, new int[] {0, 0}));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                CounterRng.philox4x32(new int[] {-1, -1, -1, -1}, new int[] {-1, -1}));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                CounterRng.philox4x32(new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                        new int[] {0xa4093822, 0x299f31d0}));
    }

    /**
     * Key 0, step 0, index 0 is counter 0 and key 0, whose word 0 is Random123's first known answer 0x6627e8d5:
     * uniform 0x6627e8 * 2^-24 = 0.39905. So element 0 is kept for p = 0.399 and dropped for p = 0.3991.
     */
    @Test
    void kernelUsesTheDocumentedCounterLayout() {
        float u = 0x6627e8 * 0x1.0p-24f;
        assertEquals(u, CounterRng.uniform(0L, 0L, 0L), 0f);
        assertEquals(1f / (1f - 0.399f), run(new float[] {1f}, 0.399f, 0L, 0L, false)[0], 0f);
        assertEquals(0f, run(new float[] {1f}, 0.3991f, 0L, 0L, false)[0], 0f);
        assertEquals(1f, run(new float[] {1f}, u, 0L, 0L, false)[0] * (1f - u), 1e-6f, "u == p is kept");
    }

    /**
     * CounterRng.bits(key, step, i) for key = Dropout.layerKey(2024, 6) = 2024 ^ (6 * 0x9E3779B97F4A7C15), step 7 and
     * i = 0..7, 1_000_000, 262_143, as recorded when the kernels were written: the mask's definition has not moved.
     */
    @Test
    void layerKeyAndCounterRngGiveTheRecordedBits() {
        long key = Dropout.layerKey(2024L, 6);
        assertEquals(0xb54cda58fbbeef96L, key);
        long[] index = {0, 1, 2, 3, 4, 5, 6, 7, 1_000_000, 262_143};
        for (int i = 0; i < index.length; i++) {
            assertEquals(RECORDED_BITS[i], CounterRng.bits(key, 7L, index[i]), "index " + index[i]);
        }
    }

    /**
     * The kernels drop exactly the units the CPU engine's Dropout layer drops, forward and backward, for the same
     * seed, layer index and step (the kernel's key is Dropout.layerKey(seed, layerIndex), its step Pass.step).
     */
    @Test
    void kernelsMatchTheCpuLayer() {
        int n = 10_007;
        long seed = 2024L;
        int layerIndex = 6;
        long step = 7L;
        for (float p : new float[] {0.5f, 0.2f}) {
            Dropout layer = new Dropout("drop", p, seed, layerIndex);
            Shape shape = new Shape(1, n, 1, 1);
            float[] x = GradientValues.gaussian(51, n);
            float[] dy = GradientValues.gaussian(52, n);
            Tensor y = new Tensor(shape);
            Tensor dx = new Tensor(shape);
            layer.forward(new Tensor(shape, x.clone()), y, Pass.train(step));
            layer.backward(null, null, new Tensor(shape, dy.clone()), dx, Pass.train(step));
            long key = Dropout.layerKey(seed, layerIndex);
            assertArrayEquals(y.data, run(x, p, key, step, false), "forward p=" + p);
            assertArrayEquals(dx.data, run(dy, p, key, step, true), "backward p=" + p);
        }
    }

    /** An element whose uniform equals p exactly is kept (u >= p): the boundary is part of the shared definition. */
    @Test
    void uniformEqualToPIsKept() {
        long seed = 77L;
        long step = 5L;
        float[] x = {1f, 1f, 1f, 1f, 1f, 1f};
        for (int i = 0; i < x.length; i++) {
            float p = CounterRng.uniform(seed, step, i);
            float[] y = run(x, p, seed, step, false);
            assertTrue(y[i] != 0f, "element " + i + " with u == p = " + p + " must be kept");
            assertArrayEquals(reference(x, p, seed, step, false), y);
        }
    }

    // FC = fc6/fc7 at batch 64; 1,048,583 exceeds 256 x 4096 threads, so the grid-stride loop runs twice.
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 5, 1023, 4097, FC, 1_048_583})
    void forwardAndBackwardAreBitIdenticalToTheReference(int n) {
        float p = 0.5f;
        long seed = 0x9E3779B97F4A7C15L ^ n;
        long step = 12345L + n;
        float[] x = GradientValues.gaussian(n, n);
        assertArrayEquals(reference(x, p, seed, step, false), run(x, p, seed, step, false), "forward n=" + n);
        float[] dy = GradientValues.gaussian(n + 7, n);
        assertArrayEquals(reference(dy, p, seed, step, true), run(dy, p, seed, step, true), "backward n=" + n);
    }

    @Test
    void otherProbabilitiesAndLargeSeedsAndSteps() {
        float[] x = GradientValues.gaussian(3, 10_001);
        for (float p : new float[] {0.1f, 0.3f, 0.9f}) {
            long seed = -2L;  // all 64 bits used
            long step = 0xFFFF_FFFF_0000_0001L;
            assertArrayEquals(reference(x, p, seed, step, false), run(x, p, seed, step, false), "p=" + p);
        }
    }

    @Test
    void keepRateAndScaling() {
        float p = 0.5f;
        float[] x = GradientValues.gaussian(11, FC);
        float[] y = run(x, p, 42L, 7L, false);
        int kept = 0;
        for (int i = 0; i < FC; i++) {
            if (y[i] != 0f) {
                kept++;
                assertEquals(x[i] * 2f, y[i], 0f, "kept elements are scaled by 1 / (1 - p)");
            }
        }
        // Binomial(262144, 0.5): standard deviation 256; allow 5 of them.
        assertEquals(FC * 0.5, kept, 5 * 256, "kept fraction " + (double) kept / FC);

        float q = 0.2f;
        float[] ones = new float[FC];
        java.util.Arrays.fill(ones, 1f);
        float[] z = run(ones, q, 43L, 7L, false);
        int keptQ = 0;
        for (float v : z) {
            if (v != 0f) {
                keptQ++;
                assertEquals(1f / (1f - q), v, 0f);
            }
        }
        double sd = Math.sqrt(FC * 0.8 * 0.2);
        assertEquals(FC * 0.8, keptQ, 5 * sd, "keep rate for p=0.2");
    }

    @Test
    void masksOfDifferentStepsAndSeedsAreIndependent() {
        float[] ones = new float[FC];
        java.util.Arrays.fill(ones, 1f);
        boolean[] a = mask(run(ones, 0.5f, 42L, 7L, false));
        boolean[] b = mask(run(ones, 0.5f, 42L, 8L, false));
        boolean[] c = mask(run(ones, 0.5f, 43L, 7L, false));
        // For independent fair masks, P(both kept) = 0.25: standard deviation sqrt(n * 0.25 * 0.75) = 222.
        assertEquals(FC * 0.25, bothKept(a, b), 5 * 222, "steps 7 and 8");
        assertEquals(FC * 0.25, bothKept(a, c), 5 * 222, "seeds 42 and 43");
        // Neighbouring elements are not correlated either.
        boolean[] shifted = new boolean[FC];
        System.arraycopy(a, 1, shifted, 0, FC - 1);
        shifted[FC - 1] = a[0];
        assertEquals(FC * 0.25, bothKept(a, shifted), 5 * 222, "element i and i + 1");
    }

    @Test
    void reproducibleFromSeedAndStepAndBackwardRecomputesTheForwardMask() {
        float[] x = GradientValues.gaussian(21, 50_000);
        float[] y1 = run(x, 0.5f, 99L, 3L, false);
        float[] y2 = run(x, 0.5f, 99L, 3L, false);
        assertArrayEquals(y1, y2, "same (seed, step), same result");
        assertFalse(java.util.Arrays.equals(y1, run(x, 0.5f, 99L, 4L, false)), "another step, another mask");

        float[] dy = GradientValues.gaussian(22, 50_000);
        float[] dx = run(dy, 0.5f, 99L, 3L, true);
        for (int i = 0; i < x.length; i++) {
            assertEquals(y1[i] != 0f, dx[i] != 0f, "same mask at " + i);
        }
    }

    @Test
    void inPlaceAndEdgeProbabilities() {
        float[] x = GradientValues.gaussian(31, 1001);
        HostBuffer b = HostBuffer.floats(x);
        HostBuffer r = b.copy();
        HostBuffer step = HostBuffer.longs(5L);
        new DropoutKernels(new HostKernelLauncher()).forward(null, b, b, x.length, 0.5f, 1L, step);
        new DropoutKernels(HostBufferMemory.launcher()).forward(null, r, r, x.length, 0.5f, 1L, step);
        assertArrayEquals(r.floats(), b.floats(), "in place");
        assertArrayEquals(reference(x, 0.5f, 1L, 5L, false), b.floats(), "in place as out of place");

        assertArrayEquals(x, run(x, 0f, 1L, 5L, false), "p = 0 keeps everything unscaled");
        assertArrayEquals(x, reference(x, 0f, 1L, 5L, false), "p = 0 in the reference");
        float[] zeros = run(x, 1f, 1L, 5L, false);
        assertArrayEquals(zeros, reference(x, 1f, 1L, 5L, false), "p = 1 in the reference");
        for (float v : zeros) {
            assertEquals(0f, v, 0f, "p = 1 drops everything, without 0 * inf = NaN");
        }
    }

    @Test
    void stepIsReadFromTheAdamStateLayout() {
        // The first field of the Adam state is the step, so the state itself can be the step pointer.
        float[] x = GradientValues.gaussian(41, 999);
        HostBuffer state = HostBuffer.bytes(AdamKernels.encodeState(17L, 1e-3));
        HostBuffer y = HostBuffer.zeros(4 * x.length);
        HostBuffer yr = y.copy();
        new DropoutKernels(new HostKernelLauncher()).forward(null, y, HostBuffer.floats(x), x.length, 0.5f, 8L, state);
        new DropoutKernels(HostBufferMemory.launcher()).forward(null, yr, HostBuffer.floats(x), x.length, 0.5f, 8L,
                state.copy());
        assertArrayEquals(yr.floats(), y.floats());
        assertArrayEquals(reference(x, 0.5f, 8L, 17L, false), y.floats(), "step 17 from the state");
    }

    /** CounterRng.bits(Dropout.layerKey(2024, 6), 7, i) as recorded (see layerKeyAndCounterRngGiveTheRecordedBits). */
    private static final int[] RECORDED_BITS = {0xab1beb0d, 0xaa0c408a, 0x19180af1, 0x933d98ea, 0x15022580, 0x47394e83,
        0x4393b005, 0x3611059b, 0xd4c58146, 0xc089b1d5};

    /**
     * The 16-bit kernels: bit for bit the reference, and the reference is the float map (same mask) on the widened
     * values, rounded; in place included.
     */
    @ParameterizedTest
    @CsvSource({"F16, 1, 0.5", "F16, 4097, 0.2", "F16, 1048583, 0.5", "BF16, 5, 0.5", "BF16, 262144, 0.1",
        "BF16, 1023, 1.0"})
    void halfKernelsMatchTheReference(StorageFormat fmt, int n, float p) {
        long key = Dropout.layerKey(2024L, 6) ^ n;
        long step = 77L + n;
        for (boolean backward : new boolean[] {false, true}) {
            short[] in = HalfValues.random(n + (backward ? 1 : 0), n, fmt);
            short[] expected = runHalf(HostBufferMemory.launcher(), in, p, key, step, backward, fmt, false);
            short[] actual = runHalf(new HostKernelLauncher(), in, p, key, step, backward, fmt, false);
            HalfValues.assertBitsEqual(expected, actual, fmt + " n=" + n + " backward=" + backward);
            float[] v = HalfValues.decode(fmt, in);
            float scale = Dropout.scale(p);
            for (int i = 0; i < n; i++) {
                v[i] = Dropout.masked(v[i], Dropout.philoxKeep(key, step, i, p), scale);
            }
            HalfValues.assertBitsEqual(HalfValues.encode(fmt, v), expected, fmt + " reference n=" + n);
            if (n < 5000) {
                HalfValues.assertBitsEqual(expected, runHalf(new HostKernelLauncher(), in, p, key, step, backward,
                        fmt, true), fmt + " in place");
            }
        }
    }

    private static short[] runHalf(KernelLauncher launcher, short[] in, float p, long key, long step, boolean backward,
                                   StorageFormat fmt, boolean inPlace) {
        DropoutKernels dropout = new DropoutKernels(launcher);
        HostBuffer inBuffer = HostBuffer.shorts(in);
        HostBuffer out = inPlace ? inBuffer : HostBuffer.zeros(2 * in.length);
        HostBuffer stepBuffer = HostBuffer.longs(step);
        if (backward) {
            dropout.backward(null, out, inBuffer, in.length, p, key, stepBuffer, fmt);
        } else {
            dropout.forward(null, out, inBuffer, in.length, p, key, stepBuffer, fmt);
        }
        if (launcher instanceof HostKernelLauncher h) {
            assertEquals(backward ? DropoutKernels.BACKWARD_HALF : DropoutKernels.FORWARD_HALF,
                    h.launches.get(0).kernel());
        }
        return out.shorts();
    }

    /** The Java reference (DropoutReference) on in, with its step in a device u64 as the kernel's. */
    private static float[] reference(float[] in, float p, long key, long step, boolean backward) {
        DropoutKernels dropout = new DropoutKernels(HostBufferMemory.launcher());
        HostBuffer out = HostBuffer.zeros(4 * in.length);
        HostBuffer stepBuffer = HostBuffer.longs(step);
        if (backward) {
            dropout.backward(null, out, HostBuffer.floats(in), in.length, p, key, stepBuffer);
        } else {
            dropout.forward(null, out, HostBuffer.floats(in), in.length, p, key, stepBuffer);
        }
        return out.floats();
    }

    /** The kernel in the host build, checking its launch shape. */
    private static float[] run(float[] in, float p, long seed, long step, boolean backward) {
        HostKernelLauncher launcher = new HostKernelLauncher();
        DropoutKernels dropout = new DropoutKernels(launcher);
        HostBuffer out = HostBuffer.zeros(4 * in.length);
        HostBuffer stepBuffer = HostBuffer.longs(step);
        if (backward) {
            dropout.backward(null, out, HostBuffer.floats(in), in.length, p, seed, stepBuffer);
        } else {
            dropout.forward(null, out, HostBuffer.floats(in), in.length, p, seed, stepBuffer);
        }
        HostKernelLauncher.Launch l = launcher.launches.get(0);
        assertEquals(LaunchShape.elementwiseGrid(in.length), l.gridX());
        assertTrue(l.blockX() == LaunchShape.ELEMENTWISE_BLOCK);
        return out.floats();
    }

    private static boolean[] mask(float[] y) {
        boolean[] m = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            m[i] = y[i] != 0f;
        }
        return m;
    }

    private static int bothKept(boolean[] a, boolean[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] && b[i]) {
                n++;
            }
        }
        return n;
    }

    /** Seeded random inputs. */
    static final class GradientValues {
        static float[] gaussian(long seed, int n) {
            SplittableRandom rnd = new SplittableRandom(seed);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                float g = (float) rnd.nextGaussian();
                v[i] = g == 0f ? 1f : g;  // no zeros, so "dropped" is exactly "zero" in the checks
            }
            return v;
        }
    }
}
