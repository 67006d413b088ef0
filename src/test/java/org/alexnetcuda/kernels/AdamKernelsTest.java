package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * optimizer.cu in the host build against an in-test Java Adam with the arithmetic of
 * org.alexnetcuda.engine.cpu.Adam (branch `layers`: torch 1.13's CPU Adam, with its fused multiply-adds), bit for
 * bit, over several steps.
 *
 * <p>TODO(after merging `layers`): run org.alexnetcuda.engine.cpu.Adam itself as the reference.
 */
class AdamKernelsTest {

    /** The in-test reference: the CPU engine's Adam, scalars in double, tensors in float, its FMAs. */
    static final class Reference {
        final float[] p;
        final float[] m;
        final float[] v;
        long t;
        final double lr;
        final AdamKernels.Hyperparameters h;

        Reference(float[] p, double lr, AdamKernels.Hyperparameters h) {
            this.p = p.clone();
            this.m = new float[p.length];
            this.v = new float[p.length];
            this.lr = lr;
            this.h = h;
        }

        void step(float[] grad) {
            t++;
            double stepSize = lr / (1 - Math.pow(h.beta1(), t));
            float negStep = (float) -stepSize;
            float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(h.beta2(), t));
            float b1 = (float) h.beta1();
            float c1 = (float) (1 - h.beta1());
            float b2 = (float) h.beta2();
            float c2 = (float) (1 - h.beta2());
            float eps = (float) h.eps();
            float wd = (float) h.weightDecay();
            boolean decay = h.weightDecay() != 0;
            for (int i = 0; i < p.length; i++) {
                float g = decay ? Math.fma(p[i], wd, grad[i]) : grad[i];
                m[i] = Math.fma(g, c1, m[i] * b1);
                v[i] = Math.fma(c2 * g, g, v[i] * b2);
                float denom = (float) Math.sqrt(v[i]) / bias2Sqrt + eps;
                p[i] = p[i] + (negStep * m[i]) / denom;
            }
        }
    }

    static float[] random(long seed, int n, double scale) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * scale);
        }
        return a;
    }

    // 1,048,583 > 1e6 and > 256 x 4096 (grid-stride); the real model has 58,322,314 parameters in one block.
    @ParameterizedTest
    @ValueSource(ints = {1, 255, 257, 10_007, 1_048_583})
    void threeStepsMatchTheReferenceBitForBit(int n) {
        runAndCompare(n, 1e-3, AdamKernels.Hyperparameters.TORCH_DEFAULTS, 3);
    }

    @Test
    void weightDecayAndOtherBetas() {
        runAndCompare(4099, 3e-4, new AdamKernels.Hyperparameters(0.8, 0.99, 1e-6, 5e-4), 4);
    }

    private static void runAndCompare(int n, double lr, AdamKernels.Hyperparameters h, int steps) {
        HostKernelLauncher launcher = new HostKernelLauncher();
        AdamKernels adam = new AdamKernels(launcher);
        float[] p0 = random(n, n, 0.05);
        Reference ref = new Reference(p0, lr, h);
        HostBuffer p = HostBuffer.floats(p0);
        HostBuffer m = HostBuffer.zeros(4 * n);
        HostBuffer v = HostBuffer.zeros(4 * n);
        HostBuffer state = HostBuffer.bytes(AdamKernels.encodeState(0, lr));
        for (int s = 1; s <= steps; s++) {
            float[] grad = random(1000L * n + s, n, 0.01 * s);
            if (s == 2) {
                grad[0] = 0f;  // a zero gradient after a non-zero one
            }
            ref.step(grad);
            adam.step(null, state, p, HostBuffer.floats(grad), m, v, n, h);
            assertEquals(s, AdamKernels.decodeT(state.raw()), "device step counter");
            assertEquals(lr, AdamKernels.decodeLr(state.raw()), 0.0, "lr untouched");
            assertBitsEqual(ref.m, m.floats(), "m after step " + s);
            assertBitsEqual(ref.v, v.floats(), "v after step " + s);
            assertBitsEqual(ref.p, p.floats(), "param after step " + s);
        }
        HostKernelLauncher.Launch begin = launcher.launches.get(0);
        HostKernelLauncher.Launch update = launcher.launches.get(1);
        assertEquals(AdamKernels.BEGIN_STEP, begin.kernel());
        assertEquals(1, begin.gridX());
        assertEquals(1, begin.blockX());
        assertEquals(AdamKernels.UPDATE, update.kernel());
        assertEquals(LaunchShape.elementwiseGrid(n), update.gridX());
    }

    /** A property of Adam itself, independent of the reference: the first step moves each weight by about lr. */
    @Test
    void firstStepMovesEachParameterByAboutTheLearningRate() {
        int n = 1000;
        double lr = 1e-3;
        float[] p0 = random(1, n, 1.0);
        float[] grad = random(2, n, 1.0);
        HostBuffer p = HostBuffer.floats(p0);
        new AdamKernels(new HostKernelLauncher()).step(null, HostBuffer.bytes(AdamKernels.encodeState(0, lr)), p,
                HostBuffer.floats(grad), HostBuffer.zeros(4 * n), HostBuffer.zeros(4 * n), n,
                AdamKernels.Hyperparameters.TORCH_DEFAULTS);
        float[] p1 = p.floats();
        for (int i = 0; i < n; i++) {
            // m / (sqrt(v) + eps) after bias correction is g / (|g| + eps') = sign(g) up to eps.
            assertEquals(p0[i] - lr * Math.signum(grad[i]), p1[i], 1e-6 + lr * 1e-4, "element " + i);
        }
    }

    @Test
    void learningRateAndStepComeFromDeviceMemory() {
        // Resuming at t = 41 with lr 0.01: the kernel must use t = 42 and the state's lr, not any argument.
        int n = 300;
        double lr = 0.01;
        float[] p0 = random(3, n, 0.1);
        float[] grad = random(4, n, 0.1);
        HostBuffer p = HostBuffer.floats(p0);
        HostBuffer state = HostBuffer.bytes(AdamKernels.encodeState(41, lr));
        new AdamKernels(new HostKernelLauncher()).step(null, state, p, HostBuffer.floats(grad),
                HostBuffer.zeros(4 * n), HostBuffer.zeros(4 * n), n, AdamKernels.Hyperparameters.TORCH_DEFAULTS);
        assertEquals(42, AdamKernels.decodeT(state.raw()));
        Reference ref = new Reference(p0, lr, AdamKernels.Hyperparameters.TORCH_DEFAULTS);
        ref.t = 41;
        ref.step(grad);
        assertBitsEqual(ref.p, p.floats(), "param");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(state.raw()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals((float) (lr / (1 - Math.pow(0.9, 42))), b.getFloat(AdamKernels.OFFSET_STEP_SIZE), 0f);
        assertEquals((float) Math.sqrt(1 - Math.pow(0.999, 42)), b.getFloat(AdamKernels.OFFSET_BIAS2_SQRT), 0f);
    }

    static void assertBitsEqual(float[] expected, float[] actual, String what) {
        ReluKernelsTest.assertBitsEqual(expected, actual, what);
    }
}
