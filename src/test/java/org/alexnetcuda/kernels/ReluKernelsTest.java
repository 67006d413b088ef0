package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.engine.Shape;
import org.alexnetcuda.engine.StorageFormat;
import org.alexnetcuda.engine.Tensor;
import org.alexnetcuda.engine.cpu.Relu;
import org.alexnetcuda.kernels.reference.KernelTrapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * activation.cu in the host build against its Java reference (org.alexnetcuda.kernels.reference.ReluReference, which
 * runs org.alexnetcuda.engine.cpu.Relu's element functions), bit for bit: forward v <= 0 ? 0 : v (NaN passes),
 * backward y > 0 ? dy : 0 (NaN y gives 0). The reference is also checked against the Relu layer itself.
 */
@ExtendWith(ScheduleReport.class)
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
    void forwardAndBackwardMatchTheReference(int n) {
        HostKernelLauncher launcher = new HostKernelLauncher();
        ReluKernels relu = new ReluKernels(launcher);
        ReluKernels reference = new ReluKernels(HostBufferMemory.launcher());
        HostBuffer xb = HostBuffer.floats(randomWithSpecials(n, n));
        HostBuffer yb = HostBuffer.zeros(4 * n);
        HostBuffer yr = yb.copy();
        relu.forward(null, yb, xb, n);
        reference.forward(null, yr, xb.copy(), n);
        assertBitsEqual(yr.floats(), yb.floats(), "forward n=" + n);

        HostBuffer dyb = HostBuffer.floats(randomWithSpecials(n + 1, n));
        HostBuffer dxb = HostBuffer.zeros(4 * n);
        HostBuffer dxr = dxb.copy();
        relu.backward(null, dxb, dyb, yb, n);
        reference.backward(null, dxr, dyb.copy(), yr, n);
        assertBitsEqual(dxr.floats(), dxb.floats(), "backward n=" + n);

        assertEquals(LaunchShape.ELEMENTWISE_BLOCK, launcher.launches.get(0).blockX());
        assertEquals(Math.min((n + 255) / 256, LaunchShape.ELEMENTWISE_MAX_GRID), launcher.launches.get(0).gridX());
    }

    /** The reference is the CPU engine's Relu layer, forward and backward, bit for bit. */
    @Test
    void referenceIsTheCpuLayer() {
        int n = 5003;
        float[] x = randomWithSpecials(3, n);
        float[] dy = randomWithSpecials(4, n);
        Shape shape = new Shape(1, n, 1, 1);
        Tensor y = new Tensor(shape);
        Tensor dx = new Tensor(shape);
        Relu layer = new Relu("relu");
        layer.forward(new Tensor(shape, x.clone()), y, Pass.train(0));
        layer.backward(null, y, new Tensor(shape, dy.clone()), dx, Pass.train(0));

        ReluKernels reference = new ReluKernels(HostBufferMemory.launcher());
        HostBuffer yr = HostBuffer.zeros(4 * n);
        HostBuffer dxr = HostBuffer.zeros(4 * n);
        reference.forward(null, yr, HostBuffer.floats(x), n);
        reference.backward(null, dxr, HostBuffer.floats(dy), yr, n);
        assertBitsEqual(y.data, yr.floats(), "forward");
        assertBitsEqual(dx.data, dxr.floats(), "backward");
    }

    @Test
    void inPlace() {
        int n = 3001;
        HostBuffer b = HostBuffer.floats(randomWithSpecials(5, n));
        HostBuffer r = b.copy();
        ReluKernels relu = new ReluKernels(new HostKernelLauncher());
        ReluKernels reference = new ReluKernels(HostBufferMemory.launcher());
        relu.forward(null, b, b, n);
        reference.forward(null, r, r, n);
        assertBitsEqual(r.floats(), b.floats(), "in-place forward");

        HostBuffer g = HostBuffer.floats(randomWithSpecials(6, n));
        HostBuffer gr = g.copy();
        relu.backward(null, g, g, b, n);
        reference.backward(null, gr, gr, r, n);
        assertBitsEqual(gr.floats(), g.floats(), "in-place backward");
    }

    @Test
    void onlyTheFirstNElementsAreTouched() {
        float[] x = {-1f, 2f, -3f, 4f, -5f};
        float[] expected = {0f, 2f, 0f, 9f, 9f};
        HostBuffer y = HostBuffer.floats(9f, 9f, 9f, 9f, 9f);
        HostBuffer yr = y.copy();
        new ReluKernels(new HostKernelLauncher()).forward(null, y, HostBuffer.floats(x), 3);
        new ReluKernels(HostBufferMemory.launcher()).forward(null, yr, HostBuffer.floats(x), 3);
        assertBitsEqual(expected, y.floats(), "bounds");
        assertBitsEqual(expected, yr.floats(), "bounds of the reference");
    }

    /** The 16-bit kernels against the reference, and the reference against the float function on widened values. */
    @ParameterizedTest
    @CsvSource({"F16, 1", "F16, 257", "F16, 1100003", "BF16, 7", "BF16, 1000", "BF16, 262144"})
    void halfKernelsMatchTheReference(StorageFormat fmt, int n) {
        HostKernelLauncher launcher = new HostKernelLauncher();
        ReluKernels relu = new ReluKernels(launcher);
        ReluKernels reference = new ReluKernels(HostBufferMemory.launcher());
        short[] x = HalfValues.random(n, n, fmt);
        HostBuffer yb = HostBuffer.zeros(2 * n);
        HostBuffer yr = yb.copy();
        relu.forward(null, yb, HostBuffer.shorts(x), n, fmt);
        reference.forward(null, yr, HostBuffer.shorts(x), n, fmt);
        HalfValues.assertBitsEqual(yr.shorts(), yb.shorts(), fmt + " forward n=" + n);
        float[] xf = HalfValues.decode(fmt, x);
        for (int i = 0; i < n; i++) {
            xf[i] = Relu.value(xf[i]);
        }
        HalfValues.assertBitsEqual(HalfValues.encode(fmt, xf), yr.shorts(), fmt + " forward reference n=" + n);

        short[] dy = HalfValues.random(n + 1, n, fmt);
        HostBuffer dxb = HostBuffer.zeros(2 * n);
        HostBuffer dxr = dxb.copy();
        relu.backward(null, dxb, HostBuffer.shorts(dy), yb, n, fmt);
        reference.backward(null, dxr, HostBuffer.shorts(dy), yr, n, fmt);
        HalfValues.assertBitsEqual(dxr.shorts(), dxb.shorts(), fmt + " backward n=" + n);

        assertEquals(ReluKernels.FORWARD_HALF, launcher.launches.get(0).kernel());
        assertEquals(LaunchShape.elementwiseGrid(n), launcher.launches.get(0).gridX());
    }

    @Test
    void f32FormatRunsTheFloatKernelsAndHalfInPlaceWorks() {
        HostKernelLauncher launcher = new HostKernelLauncher();
        ReluKernels relu = new ReluKernels(launcher);
        HostBuffer x = HostBuffer.floats(-1f, 2f);
        relu.forward(null, x, x, 2, StorageFormat.F32);
        assertEquals(ReluKernels.FORWARD, launcher.launches.get(0).kernel());
        assertBitsEqual(new float[] {0f, 2f}, x.floats(), "F32");

        int n = 3001;
        for (StorageFormat fmt : new StorageFormat[] {StorageFormat.F16, StorageFormat.BF16}) {
            HostBuffer b = HostBuffer.shorts(HalfValues.random(5, n, fmt));
            HostBuffer r = b.copy();
            relu.forward(null, b, b, n, fmt);
            new ReluKernels(HostBufferMemory.launcher()).forward(null, r, r, n, fmt);
            HalfValues.assertBitsEqual(r.shorts(), b.shorts(), fmt + " in place");
        }
    }

    /** A format code other than 1 or 2 traps in the kernel and in the reference. */
    @Test
    void otherFormatCodesTrap() {
        HostBuffer x = HostBuffer.shorts((short) 0x3c00);
        HostKernelLauncher.KernelFailure e = assertThrows(
                HostKernelLauncher.KernelFailure.class,
                () -> new HostKernelLauncher().launch(ReluKernels.FORWARD_HALF, 1, 256, 0, null, x, x, 1, 0));
        assertTrue(e.getMessage().contains("fmt == STORAGE_F16 || fmt == STORAGE_BF16"),
                e.getMessage());
        assertThrows(KernelTrapException.class,
                () -> HostBufferMemory.launcher().launch(ReluKernels.FORWARD_HALF, 1, 256, 0, null, x, x, 1, 3));
    }
}
