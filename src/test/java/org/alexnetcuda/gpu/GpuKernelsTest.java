package org.alexnetcuda.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;

import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.DeviceMemory;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.kernels.AdamKernels;
import org.alexnetcuda.kernels.DropoutKernels;
import org.alexnetcuda.kernels.LinearKernels;
import org.alexnetcuda.kernels.MixedPrecisionKernels;
import org.alexnetcuda.kernels.ReluKernels;
import org.alexnetcuda.kernels.SoftmaxCrossEntropyKernels;
import org.alexnetcuda.tensor.StorageFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our PTX kernels on the GPU against their Java references (which run in the simulator, and which the CPU tests
 * check against the host build of the same sources), at the network's real sizes, on fresh random inputs.
 * The same test body runs on both devices and the results are compared: bit for bit where the kernel's
 * arithmetic is exactly specified (ReLU, dropout, Adam: --fmad=false and the same operation order), within
 * the stated bound where a reduction order differs (the loss's tree sums).
 */
@Tag("gpu")
class GpuKernelsTest {
    private final long seed = System.nanoTime();

    /** Runs body on the simulator and on the GPU, returning both results. */
    private <T> Object[] onBoth(Function<Device, T> body) {
        Object gpu;
        try (Device dev = GpuSupport.open()) {
            gpu = body.apply(dev);
        }
        Object ref;
        try (SimDevice sim = new SimDevice()) {
            ref = body.apply(sim);
        }
        return new Object[] {ref, gpu};
    }

    private float[] random(int n, long salt) {
        SplittableRandom r = new SplittableRandom(seed + salt);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static DevicePtr upload(Device d, float[] v, Stream s) {
        DevicePtr p = d.memory().alloc(4L * v.length);
        d.memory().copyToDevice(p, v, 0, v.length, s);
        return p;
    }

    private static float[] download(Device d, DevicePtr p, int n, Stream s) {
        float[] v = new float[n];
        d.memory().copyToHost(v, 0, n, p, s);
        return v;
    }

    @Test
    void reluAndDropoutAtFc6Size() {
        int n = 64 * 4096;
        float[] x = random(n, 1);
        float[] dy = random(n, 2);
        Object[] r = onBoth(d -> {
            Stream s = d.streams().createStream();
            DeviceMemory m = d.memory();
            DevicePtr px = upload(d, x, s);
            DevicePtr pdy = upload(d, dy, s);
            DevicePtr py = m.alloc(4L * n);
            DevicePtr pdx = m.alloc(4L * n);
            DevicePtr step = m.alloc(AdamKernels.STATE_BYTES);
            m.copyToDevice(step, AdamKernels.encodeState(17, 1e-3), 0, AdamKernels.STATE_BYTES, s);
            new ReluKernels(d.kernels()).forward(s, py, px, n);
            new ReluKernels(d.kernels()).backward(s, pdx, pdy, py, n);
            float[] relu = download(d, py, n, s);
            float[] reluGrad = download(d, pdx, n, s);
            new DropoutKernels(d.kernels()).forward(s, py, px, n, 0.5f, seed, step);
            new DropoutKernels(d.kernels()).backward(s, pdx, pdy, n, 0.5f, seed, step);
            return new float[][] {relu, reluGrad, download(d, py, n, s), download(d, pdx, n, s)};
        });
        float[][] ref = (float[][]) r[0];
        float[][] gpu = (float[][]) r[1];
        String[] what = {"relu forward", "relu backward", "dropout forward", "dropout backward"};
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(ref[i], gpu[i], what[i] + " (seed " + seed + ")");
        }
    }

    @Test
    void adamOverTheWholeModelBitForBit() {
        int n = 58_322_314;
        float[] p = random(n, 3);
        float[] g = random(n, 4);
        Object[] r = onBoth(d -> {
            Stream s = d.streams().createStream();
            DeviceMemory m = d.memory();
            DevicePtr pp = upload(d, p, s);
            DevicePtr pg = upload(d, g, s);
            DevicePtr pm = m.alloc(4L * n);
            DevicePtr pv = m.alloc(4L * n);
            m.setD32(pm, 0, n, s);
            m.setD32(pv, 0, n, s);
            DevicePtr state = m.alloc(AdamKernels.STATE_BYTES);
            m.copyToDevice(state, AdamKernels.encodeState(0, 1e-3), 0, AdamKernels.STATE_BYTES, s);
            AdamKernels adam = new AdamKernels(d.kernels());
            for (int step = 0; step < 3; step++) {
                adam.step(s, state, pp, pg, pm, pv, n, AdamKernels.Hyperparameters.TORCH_DEFAULTS);
            }
            return download(d, pp, n, s);
        });
        assertArrayEquals((float[]) r[0], (float[]) r[1], "parameters after 3 Adam steps (seed " + seed + ")");
    }

    @Test
    void lossBiasGradientAndConfusion() {
        int n = 64;
        int classes = 10;
        float[] logits = random(n * classes, 5);
        int[] labels = new SplittableRandom(seed).ints(n, 0, classes).toArray();
        float[] dy = random(n * 4096, 6);
        Object[] r = onBoth(d -> {
            Stream s = d.streams().createStream();
            DeviceMemory m = d.memory();
            DevicePtr pl = upload(d, logits, s);
            DevicePtr lab = m.alloc(4L * n);
            m.copyToDevice(lab, labels, 0, n, s);
            DevicePtr dl = m.alloc(4L * n * classes);
            DevicePtr loss = m.alloc(8L * n);
            DevicePtr correct = m.alloc(4L * n);
            DevicePtr totals = m.alloc(8L * SoftmaxCrossEntropyKernels.TOTALS);
            DevicePtr confusion = m.alloc(8L * classes * classes);
            m.setD32(totals, 0, 2L * SoftmaxCrossEntropyKernels.TOTALS, s);
            m.setD32(confusion, 0, 2L * classes * classes, s);
            SoftmaxCrossEntropyKernels k = new SoftmaxCrossEntropyKernels(d.kernels());
            k.forwardBackward(s, dl, loss, correct, pl, lab, n, classes);
            k.accumulate(s, totals, loss, correct, n);
            k.confusion(s, confusion, pl, lab, n, classes);
            DevicePtr pdy = upload(d, dy, s);
            DevicePtr db = m.alloc(4L * 4096);
            m.setD32(db, 0, 4096, s);
            new LinearKernels(d.kernels()).biasGradAccumulate(s, db, pdy, n, 4096);
            double[] t = new double[SoftmaxCrossEntropyKernels.TOTALS];
            m.copyToHost(t, 0, t.length, totals, s);
            double[] c = new double[classes * classes];
            m.copyToHost(c, 0, c.length, confusion, s);
            return new Object[] {download(d, dl, n * classes, s), t, c, download(d, db, 4096, s)};
        });
        Object[] ref = (Object[]) r[0];
        Object[] gpu = (Object[]) r[1];
        float[] g0 = (float[]) ref[0];
        float[] g1 = (float[]) gpu[0];
        for (int i = 0; i < g0.length; i++) {
            assertEquals(g0[i], g1[i], Math.ulp(g0[i]) * 2, "loss gradient " + i + " (seed " + seed + ")");
        }
        double[] t0 = (double[]) ref[1];
        double[] t1 = (double[]) gpu[1];
        for (int i = 0; i < t0.length; i++) {
            assertEquals(t0[i], t1[i], 1e-12 * Math.abs(t0[i]), "totals[" + i + "] (tree vs sequential sum)");
        }
        assertArrayEquals((double[]) ref[2], (double[]) gpu[2], "confusion matrix");
        assertArrayEquals((float[]) ref[3], (float[]) gpu[3], "bias gradient");
        assertTrue(t0[SoftmaxCrossEntropyKernels.SAMPLES] == n);
    }

    /**
     * The mixed-precision kernels at fc6's size, in both 16-bit formats: casts, ReLU, dropout and the bias gradient
     * on 16-bit tensors, then three Adam steps over 16-bit gradients with the fp16 loss-scale check and update; bit
     * for bit (the conversions are integer code, the arithmetic that of the FP32 kernels).
     */
    @ParameterizedTest
    @EnumSource(value = StorageFormat.class, names = {"F16", "BF16"})
    void mixedPrecisionKernelsBitForBit(StorageFormat fmt) {
        int n = 64 * 4096;
        float[] x = random(n, 7);
        float[] dy = random(n, 8);
        float[] p = random(n, 9);
        Object[] r = onBoth(d -> {
            Stream s = d.streams().createStream();
            DeviceMemory m = d.memory();
            MixedPrecisionKernels mixed = new MixedPrecisionKernels(d.kernels());
            DevicePtr fx = upload(d, x, s);
            DevicePtr fdy = upload(d, dy, s);
            DevicePtr hx = m.alloc(2L * n);
            DevicePtr hdy = m.alloc(2L * n);
            DevicePtr hy = m.alloc(2L * n);
            DevicePtr hdx = m.alloc(2L * n);
            DevicePtr out = m.alloc(4L * n);
            mixed.toHalf(s, hx, fx, n, fmt);
            mixed.toHalf(s, hdy, fdy, n, fmt);
            DevicePtr state = m.alloc(AdamKernels.STATE_BYTES);
            m.copyToDevice(state, AdamKernels.encodeState(17, 1e-3), 0, AdamKernels.STATE_BYTES, s);
            float[][] results = new float[7][];
            new ReluKernels(d.kernels()).forward(s, hy, hx, n, fmt);
            new ReluKernels(d.kernels()).backward(s, hdx, hdy, hy, n, fmt);
            mixed.toFloat(s, out, hy, n, fmt);
            results[0] = download(d, out, n, s);
            mixed.toFloat(s, out, hdx, n, fmt);
            results[1] = download(d, out, n, s);
            new DropoutKernels(d.kernels()).forward(s, hy, hx, n, 0.5f, seed, state, fmt);
            new DropoutKernels(d.kernels()).backward(s, hdx, hdy, n, 0.5f, seed, state, fmt);
            mixed.toFloat(s, out, hy, n, fmt);
            results[2] = download(d, out, n, s);
            mixed.toFloat(s, out, hdx, n, fmt);
            results[3] = download(d, out, n, s);
            DevicePtr db = m.alloc(2L * 4096);
            m.setD32(db, 0, 4096 / 2, s);
            new LinearKernels(d.kernels()).biasGradAccumulate(s, db, hdy, 64, 4096, fmt);
            mixed.toFloat(s, out, db, 4096, fmt);
            results[4] = download(d, out, 4096, s);

            // Adam: FP32 master weights, 16-bit gradients (hdy) and weight copy, the loss scale checked and updated
            DevicePtr pp = upload(d, p, s);
            DevicePtr hp = m.alloc(2L * n);
            DevicePtr pm = m.alloc(4L * n);
            DevicePtr pv = m.alloc(4L * n);
            m.setD32(pm, 0, n, s);
            m.setD32(pv, 0, n, s);
            m.copyToDevice(state, AdamKernels.encodeState(0, 1e-3), 0, AdamKernels.STATE_BYTES, s);
            DevicePtr scale = m.alloc(MixedPrecisionKernels.LOSS_SCALE_BYTES);
            m.copyToDevice(scale, MixedPrecisionKernels.encodeLossScale(1024f, 0, 0), 0,
                    MixedPrecisionKernels.LOSS_SCALE_BYTES, s);
            AdamKernels adam = new AdamKernels(d.kernels());
            for (int step = 0; step < 3; step++) {
                mixed.checkFinite(s, hdy, n, scale, fmt);
                adam.stepMixed(s, state, scale, pp, hp, hdy, pm, pv, n, AdamKernels.Hyperparameters.TORCH_DEFAULTS, fmt);
                mixed.updateScale(s, scale);
            }
            results[5] = download(d, pp, n, s);
            mixed.toFloat(s, out, hp, n, fmt);
            results[6] = download(d, out, n, s);
            return results;
        });
        float[][] ref = (float[][]) r[0];
        float[][] gpu = (float[][]) r[1];
        String[] what = {"relu forward", "relu backward", "dropout forward", "dropout backward", "bias gradient",
                "FP32 master weights after 3 mixed Adam steps", "16-bit weight copy"};
        for (int i = 0; i < what.length; i++) {
            assertArrayEquals(ref[i], gpu[i], fmt + " " + what[i] + " (seed " + seed + ")");
        }
    }
}
