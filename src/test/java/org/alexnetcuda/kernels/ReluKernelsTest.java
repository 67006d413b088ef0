package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * activation.cu in the host build against Java, bit for bit, with the semantics of org.alexnetcuda.engine.cpu.Relu
 * (branch `layers`): forward v <= 0 ? 0 : v (NaN passes), backward y > 0 ? dy : 0 (NaN y gives 0).
 *
 * <p>TODO(after merging `layers`): run Relu itself as the reference.
 */
class ReluKernelsTest {

    static float[] randomWithSpecials(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextInt(50) == 0 ? specials[rnd.nextInt(specials.length)] : (float) (rnd.nextGaussian() * 3);
        }
        return x;
    }

    static float reluRef(float x) {
        return x <= 0f ? 0f : x;
    }

    static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    // 64 x 4096 is fc6/fc7's activation at batch 64; 1,100,003 exceeds 256 x 4096 threads (grid-stride).
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 255, 256, 257, 1000, 64 * 4096, 1_100_003})
    void forwardAndBackwardMatchJava(int n) {
        HostKernelLauncher launcher = new HostKernelLauncher();
        ReluKernels relu = new ReluKernels(launcher);
        float[] x = randomWithSpecials(n, n);
        HostBuffer xb = HostBuffer.floats(x);
        HostBuffer yb = HostBuffer.zeros(4 * n);
        relu.forward(null, yb, xb, n);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = reluRef(x[i]);
        }
        assertBitsEqual(y, yb.floats(), "forward n=" + n);

        float[] dy = randomWithSpecials(n + 1, n);
        HostBuffer dyb = HostBuffer.floats(dy);
        HostBuffer dxb = HostBuffer.zeros(4 * n);
        relu.backward(null, dxb, dyb, yb, n);
        float[] dx = new float[n];
        for (int i = 0; i < n; i++) {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
        assertBitsEqual(dx, dxb.floats(), "backward n=" + n);

        assertEquals(LaunchShape.ELEMENTWISE_BLOCK, launcher.launches.get(0).blockX());
        assertEquals(Math.min((n + 255) / 256, LaunchShape.ELEMENTWISE_MAX_GRID), launcher.launches.get(0).gridX());
    }

    @Test
    void inPlace() {
        int n = 3001;
        float[] x = randomWithSpecials(5, n);
        HostBuffer b = HostBuffer.floats(x);
        ReluKernels relu = new ReluKernels(new HostKernelLauncher());
        relu.forward(null, b, b, n);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = reluRef(x[i]);
        }
        assertBitsEqual(y, b.floats(), "in-place forward");

        float[] dy = randomWithSpecials(6, n);
        HostBuffer g = HostBuffer.floats(dy);
        relu.backward(null, g, g, b, n);
        for (int i = 0; i < n; i++) {
            dy[i] = y[i] > 0f ? dy[i] : 0f;
        }
        assertBitsEqual(dy, g.floats(), "in-place backward");
    }

    @Test
    void onlyTheFirstNElementsAreTouched() {
        float[] x = {-1f, 2f, -3f, 4f, -5f};
        HostBuffer y = HostBuffer.floats(9f, 9f, 9f, 9f, 9f);
        new ReluKernels(new HostKernelLauncher()).forward(null, y, HostBuffer.floats(x), 3);
        assertBitsEqual(new float[] {0f, 2f, 0f, 9f, 9f}, y.floats(), "bounds");
    }
}
