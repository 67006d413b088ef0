package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.alexnetcuda.engine.ParameterStore;
import org.alexnetcuda.engine.cpu.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * optimizer.cu in the host build against its Java reference (org.alexnetcuda.kernels.reference.AdamReference, which
 * runs org.alexnetcuda.engine.cpu.Adam's scalar and per-element arithmetic: torch 1.13's CPU Adam, with its fused
 * multiply-adds), bit for bit over several steps, device state included; and the reference against
 * org.alexnetcuda.engine.cpu.Adam.step itself on a ParameterStore.
 */
@ExtendWith(ScheduleReport.class)
class AdamKernelsTest {

    static float[] random(long seed, int n, double scale) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * scale);
        }
        return a;
    }

    /** The buffers of one optimizer: parameters, moments and the device state. */
    record Buffers(HostBuffer p, HostBuffer m, HostBuffer v, HostBuffer state) {
        static Buffers fresh(float[] p0, long t, double lr) {
            int n = p0.length;
            return new Buffers(HostBuffer.floats(p0), HostBuffer.zeros(4 * n), HostBuffer.zeros(4 * n),
                    HostBuffer.bytes(AdamKernels.encodeState(t, lr)));
        }

        void step(AdamKernels adam, float[] grad, AdamKernels.Hyperparameters h) {
            adam.step(null, state, p, HostBuffer.floats(grad), m, v, grad.length, h);
        }

        void assertBitsEqual(Buffers expected, String what) {
            AdamKernelsTest.assertBitsEqual(expected.m.floats(), m.floats(), "m " + what);
            AdamKernelsTest.assertBitsEqual(expected.v.floats(), v.floats(), "v " + what);
            AdamKernelsTest.assertBitsEqual(expected.p.floats(), p.floats(), "param " + what);
            assertEquals(HexFormat.of().formatHex(expected.state.raw()),
                    HexFormat.of().formatHex(state.raw()), "state " + what);
        }
    }

    static float[] gradient(int n, int s) {
        float[] grad = random(1000L * n + s, n, 0.01 * s);
        if (s == 2) {
            grad[0] = 0f;  // a zero gradient after a non-zero one
        }
        return grad;
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
        AdamKernels reference = new AdamKernels(HostBufferMemory.launcher());
        float[] p0 = random(n, n, 0.05);
        Buffers device = Buffers.fresh(p0, 0, lr);
        Buffers ref = Buffers.fresh(p0, 0, lr);
        for (int s = 1; s <= steps; s++) {
            float[] grad = gradient(n, s);
            ref.step(reference, grad, h);
            device.step(adam, grad, h);
            assertEquals(s, AdamKernels.decodeT(device.state.raw()), "device step counter");
            assertEquals(lr, AdamKernels.decodeLr(device.state.raw()), 0.0, "lr untouched");
            device.assertBitsEqual(ref, "after step " + s);
        }
        HostKernelLauncher.Launch begin = launcher.launches.get(0);
        HostKernelLauncher.Launch update = launcher.launches.get(1);
        assertEquals(AdamKernels.BEGIN_STEP, begin.kernel());
        assertEquals(1, begin.gridX());
        assertEquals(1, begin.blockX());
        assertEquals(AdamKernels.UPDATE, update.kernel());
        assertEquals(LaunchShape.elementwiseGrid(n), update.gridX());
    }

    /**
     * The reference is org.alexnetcuda.engine.cpu.Adam: the same parameters and moments, bit for bit, over steps
     * with and without weight decay, from a fresh optimizer and from a resumed one (t = 41).
     */
    @Test
    void referenceIsTheCpuOptimizer() {
        int n = 3001;
        AdamKernels.Hyperparameters[] settings = {AdamKernels.Hyperparameters.TORCH_DEFAULTS,
            new AdamKernels.Hyperparameters(0.8, 0.99, 1e-6, 5e-4)};
        for (AdamKernels.Hyperparameters h : settings) {
            for (long t0 : new long[] {0, 41}) {
                double lr = 3e-3;
                float[] p0 = random(7, n, 0.05);
                ParameterStore.Builder builder = new ParameterStore.Builder();
                builder.add("w", n);
                ParameterStore store = builder.build();
                System.arraycopy(p0, 0, store.values, 0, n);
                Adam cpu = new Adam(lr, h.beta1(), h.beta2(), h.eps(), h.weightDecay());
                cpu.restore(t0, new float[n], new float[n]);
                Buffers ref = Buffers.fresh(p0, t0, lr);
                AdamKernels reference = new AdamKernels(HostBufferMemory.launcher());
                for (int s = 1; s <= 3; s++) {
                    float[] grad = gradient(n, s);
                    System.arraycopy(grad, 0, store.grads, 0, n);
                    cpu.step(store);
                    ref.step(reference, grad, h);
                    String what = h + " t0=" + t0 + " step " + s;
                    assertBitsEqual(cpu.m(), ref.m.floats(), "m " + what);
                    assertBitsEqual(cpu.v(), ref.v.floats(), "v " + what);
                    assertBitsEqual(store.values, ref.p.floats(), "param " + what);
                    assertEquals(cpu.stepCount(), AdamKernels.decodeT(ref.state.raw()), "t " + what);
                }
            }
        }
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
        Buffers device = Buffers.fresh(p0, 41, lr);
        Buffers ref = Buffers.fresh(p0, 41, lr);
        device.step(new AdamKernels(new HostKernelLauncher()), grad, AdamKernels.Hyperparameters.TORCH_DEFAULTS);
        ref.step(new AdamKernels(HostBufferMemory.launcher()), grad, AdamKernels.Hyperparameters.TORCH_DEFAULTS);
        assertEquals(42, AdamKernels.decodeT(device.state.raw()));
        device.assertBitsEqual(ref, "resumed");
        ByteBuffer b = ByteBuffer.wrap(device.state.raw()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((float) (lr / (1 - Math.pow(0.9, 42))), b.getFloat(AdamKernels.OFFSET_STEP_SIZE), 0f);
        assertEquals((float) Math.sqrt(1 - Math.pow(0.999, 42)), b.getFloat(AdamKernels.OFFSET_BIAS2_SQRT), 0f);
    }

    static void assertBitsEqual(float[] expected, float[] actual, String what) {
        ReluKernelsTest.assertBitsEqual(expected, actual, what);
    }

    /**
     * adam_update before adam_begin_step writes NaN into every weight of a fresh optimizer (step size 0 over bias
     * correction 0), so the launchers offer only whole steps: the two launches in their order, nothing else public.
     */
    @Test
    void onlyWholeStepsCanBeLaunched() {
        Set<String> launching = new TreeSet<>();
        for (Method m : AdamKernels.class.getMethods()) {
            if (m.getDeclaringClass() == AdamKernels.class && !Modifier.isStatic(m.getModifiers())) {
                launching.add(m.getName());
            }
        }
        assertEquals(Set.of("step", "stepMixed"), launching);
        // And a fresh state's first whole step is finite.
        float[] p0 = random(7, 300, 1.0);
        Buffers b = Buffers.fresh(p0, 0, 1e-3);
        b.step(new AdamKernels(HostBufferMemory.launcher()), gradient(300, 1), AdamKernels.Hyperparameters.TORCH_DEFAULTS);
        for (float x : b.p.floats()) {
            assertTrue(Float.isFinite(x), "a weight after the first step: " + x);
        }
        assertEquals(1L, AdamKernels.decodeT(b.state.raw()));
    }
}
