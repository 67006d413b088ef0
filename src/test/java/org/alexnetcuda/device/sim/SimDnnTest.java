package org.alexnetcuda.device.sim;

import java.util.List;
import java.util.SplittableRandom;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Dnn.AlgoPerf;
import org.alexnetcuda.device.Dnn.ConvPass;
import org.alexnetcuda.device.Handles.ConvDesc;
import org.alexnetcuda.device.Handles.FilterDesc;
import org.alexnetcuda.device.Handles.LrnDesc;
import org.alexnetcuda.device.Handles.PoolDesc;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.engine.cpu.LrnLayer;
import org.alexnetcuda.engine.cpu.MaxPool;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.alexnetcuda.device.sim.SimFixtures.assertClose;
import static org.alexnetcuda.device.sim.SimFixtures.assertStatus;
import static org.alexnetcuda.device.sim.SimFixtures.randomFloats;
import static org.alexnetcuda.device.sim.SimFixtures.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimDnnTest {
    private static final float ALPHA = 0.75f;
    private static final float BETA = -0.5f;

    private final long seed = SimFixtures.freshSeed();
    private final SplittableRandom rnd = new SplittableRandom(seed);
    private final SimDevice device = new SimDevice();
    private final SimMemory mem = device.memory();
    private final SimDnn dnn = device.dnn();
    private final DevicePtr workspace = mem.alloc(1 << 22);

    @AfterEach
    void close() {
        device.close();
    }

    /** A convolution case: x n x c x h x w, filter k x c x r x r, padding and stride. */
    private record Conv(int n, int c, int h, int w, int k, int r, int pad, int stride) {
        int ho() {
            return (h + 2 * pad - r) / stride + 1;
        }

        int wo() {
            return (w + 2 * pad - r) / stride + 1;
        }

        int xIndex(int in, int ic, int ih, int iw) {
            return ((in * c + ic) * h + ih) * w + iw;
        }

        int yIndex(int in, int ok, int i, int j) {
            return ((in * k + ok) * ho() + i) * wo() + j;
        }

        int wIndex(int ok, int ic, int u, int v) {
            return ((ok * c + ic) * r + u) * r + v;
        }
    }

    private static final List<Conv> CONVS = List.of(
            new Conv(2, 3, 9, 9, 4, 3, 1, 2),
            new Conv(3, 2, 8, 7, 5, 3, 0, 1),
            new Conv(2, 3, 31, 31, 6, 11, 2, 4),   // conv1's kernel, stride and padding
            new Conv(1, 4, 6, 6, 3, 5, 2, 1));

    /**
     * Visits every (x index, w index, y index) triple that one multiply of the convolution touches: the loop all
     * three naive references share.
     */
    private interface Visitor {
        void visit(int xi, int wi, int yi);
    }

    private static void eachTap(Conv g, Visitor v) {
        for (int n = 0; n < g.n; n++) {
            for (int k = 0; k < g.k; k++) {
                for (int i = 0; i < g.ho(); i++) {
                    for (int j = 0; j < g.wo(); j++) {
                        for (int c = 0; c < g.c; c++) {
                            for (int u = 0; u < g.r; u++) {
                                for (int t = 0; t < g.r; t++) {
                                    int ih = i * g.stride - g.pad + u;
                                    int iw = j * g.stride - g.pad + t;
                                    if (ih >= 0 && ih < g.h && iw >= 0 && iw < g.w) {
                                        v.visit(g.xIndex(n, c, ih, iw), g.wIndex(k, c, u, t), g.yIndex(n, k, i, j));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** alpha * result + beta * old, in double. */
    private static double[] blend(double[] result, float[] old, float alpha, float beta) {
        double[] out = new double[result.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = alpha * result[i] + (beta == 0f ? 0 : beta * (double) old[i]);
        }
        return out;
    }

    private final class ConvSetup {
        final Conv g;
        final TensorDesc xd;
        final FilterDesc wd;
        final ConvDesc cd;
        final TensorDesc yd;
        final float[] x;
        final float[] w;
        final float[] y;

        ConvSetup(Conv g) {
            this.g = g;
            xd = dnn.tensor(g.n, g.c, g.h, g.w);
            wd = dnn.filter(g.k, g.c, g.r, g.r);
            cd = dnn.convolution(g.pad, g.pad, g.stride, g.stride, false);
            yd = dnn.tensor(g.n, g.k, g.ho(), g.wo());
            x = randomFloats(rnd, g.n * g.c * g.h * g.w);
            w = randomFloats(rnd, g.k * g.c * g.r * g.r);
            y = randomFloats(rnd, g.n * g.k * g.ho() * g.wo());
        }

        /** The fastest algorithm of the pass, and a check that its workspace fits the test's. */
        int algo(ConvPass pass) {
            AlgoPerf best = dnn.convolutionAlgorithms(pass, xd, wd, cd, yd).get(0);
            assertTrue(best.ok() && best.memory() <= (1 << 22));
            return best.algo();
        }
    }

    @Test
    void convolutionForwardMatchesANaiveLoopWithAlphaBeta() {
        for (Conv g : CONVS) {
            for (float beta : new float[] {0f, BETA}) {
                ConvSetup s = new ConvSetup(g);
                assertArrayEquals(new int[] {g.n, g.k, g.ho(), g.wo()}, dnn.convolutionOutputDim(s.cd, s.xd, s.wd));
                double[] ref = new double[s.y.length];
                eachTap(g, (xi, wi, yi) -> ref[yi] += (double) s.x[xi] * s.w[wi]);
                DevicePtr px = upload(device, s.x);
                DevicePtr pw = upload(device, s.w);
                DevicePtr py = upload(device, beta == 0f ? nans(s.y.length) : s.y);
                dnn.convolutionForward(ALPHA, s.xd, px, s.wd, pw, s.cd, s.algo(ConvPass.FORWARD), workspace, 1 << 22,
                        beta, s.yd, py);
                assertClose(blend(ref, s.y, ALPHA, beta), mem.readFloats(py, s.y.length), 1e-5,
                        "forward " + g + " beta " + beta + " seed " + seed);
            }
        }
    }

    @Test
    void convolutionBackwardDataMatchesANaiveLoopWithAlphaBeta() {
        for (Conv g : CONVS) {
            for (float beta : new float[] {0f, BETA}) {
                ConvSetup s = new ConvSetup(g);
                float[] dy = s.y;
                float[] dxOld = randomFloats(rnd, s.x.length);
                double[] ref = new double[s.x.length];
                eachTap(g, (xi, wi, yi) -> ref[xi] += (double) dy[yi] * s.w[wi]);
                DevicePtr pw = upload(device, s.w);
                DevicePtr pdy = upload(device, dy);
                DevicePtr pdx = upload(device, beta == 0f ? nans(dxOld.length) : dxOld);
                dnn.convolutionBackwardData(ALPHA, s.wd, pw, s.yd, pdy, s.cd, s.algo(ConvPass.BACKWARD_DATA),
                        workspace, 1 << 22, beta, s.xd, pdx);
                assertClose(blend(ref, dxOld, ALPHA, beta), mem.readFloats(pdx, dxOld.length), 1e-5,
                        "backward data " + g + " beta " + beta + " seed " + seed);
            }
        }
    }

    @Test
    void convolutionBackwardFilterAndBiasMatchNaiveLoopsWithAlphaBeta() {
        for (Conv g : CONVS) {
            for (float beta : new float[] {0f, BETA}) {
                ConvSetup s = new ConvSetup(g);
                float[] dy = s.y;
                float[] dwOld = randomFloats(rnd, s.w.length);
                double[] ref = new double[s.w.length];
                eachTap(g, (xi, wi, yi) -> ref[wi] += (double) dy[yi] * s.x[xi]);
                DevicePtr px = upload(device, s.x);
                DevicePtr pdy = upload(device, dy);
                DevicePtr pdw = upload(device, beta == 0f ? nans(dwOld.length) : dwOld);
                dnn.convolutionBackwardFilter(ALPHA, s.xd, px, s.yd, pdy, s.cd, s.algo(ConvPass.BACKWARD_FILTER),
                        workspace, 1 << 22, beta, s.wd, pdw);
                assertClose(blend(ref, dwOld, ALPHA, beta), mem.readFloats(pdw, dwOld.length), 1e-5,
                        "backward filter " + g + " beta " + beta + " seed " + seed);

                float[] dbOld = randomFloats(rnd, g.k);
                double[] refB = new double[g.k];
                int plane = g.ho() * g.wo();
                for (int i = 0; i < dy.length; i++) {
                    refB[(i / plane) % g.k] += dy[i];
                }
                DevicePtr pdb = upload(device, beta == 0f ? nans(g.k) : dbOld);
                dnn.convolutionBackwardBias(ALPHA, s.yd, pdy, beta, dnn.tensor(1, g.k, 1, 1), pdb);
                assertClose(blend(refB, dbOld, ALPHA, beta), mem.readFloats(pdb, g.k), 1e-5, "bias " + g);
            }
        }
    }

    @Test
    void addTensorBroadcastsOrAddsSameShape() {
        int n = 3;
        int c = 4;
        int h = 5;
        int w = 2;
        TensorDesc yd = dnn.tensor(n, c, h, w);
        float[] y = randomFloats(rnd, n * c * h * w);
        float[] b = randomFloats(rnd, c);
        DevicePtr py = upload(device, y);
        dnn.addTensor(ALPHA, dnn.tensor(1, c, 1, 1), upload(device, b), 1f, yd, py);
        double[] ref = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            ref[i] = ALPHA * b[(i / (h * w)) % c] + y[i];
        }
        assertClose(ref, mem.readFloats(py, y.length), 1e-6, "bias broadcast, seed " + seed);

        float[] same = randomFloats(rnd, y.length);
        mem.writeFloats(py, y);
        dnn.addTensor(ALPHA, yd, upload(device, same), BETA, yd, py);
        for (int i = 0; i < y.length; i++) {
            ref[i] = ALPHA * same[i] + BETA * y[i];
        }
        assertClose(ref, mem.readFloats(py, y.length), 1e-6, "same shape, seed " + seed);
        assertStatus("CUDNN_STATUS_BAD_PARAM",
                () -> dnn.addTensor(1f, dnn.tensor(1, c + 1, 1, 1), py, 1f, yd, py));
    }

    @Test
    void poolingMatchesTheCpuMaxPoolWithAlphaBeta() {
        Shape in = new Shape(2, 3, 13, 13);
        PoolDesc pd = dnn.maxPooling(3, 3, 0, 0, 2, 2, false);
        TensorDesc xd = dnn.tensor(2, 3, 13, 13);
        assertArrayEquals(new int[] {2, 3, 6, 6}, dnn.poolingOutputDim(pd, xd));
        TensorDesc yd = dnn.tensor(2, 3, 6, 6);
        Shape out = new Shape(2, 3, 6, 6);
        MaxPool ref = new MaxPool("ref", 3, 2);
        Tensor x = new Tensor(in, randomFloats(rnd, (int) in.size()));
        Tensor y = new Tensor(out);
        ref.forward(x, y, Pass.EVAL);
        float[] yOld = randomFloats(rnd, (int) out.size());
        DevicePtr px = upload(device, x.data);
        DevicePtr py = upload(device, yOld);
        dnn.poolingForward(pd, ALPHA, xd, px, BETA, yd, py);
        assertClose(blend(toDouble(y.data), yOld, ALPHA, BETA), mem.readFloats(py, yOld.length), 1e-6, "pool fwd");
        // The max of a window is one of its inputs: check one window directly.
        float max = Float.NEGATIVE_INFINITY;
        for (int u = 0; u < 3; u++) {
            for (int v = 0; v < 3; v++) {
                max = Math.max(max, x.get(1, 2, 4 + u, 6 + v));
            }
        }
        assertEquals(max, y.get(1, 2, 2, 3));

        mem.writeFloats(py, y.data);
        Tensor dy = new Tensor(out, randomFloats(rnd, (int) out.size()));
        Tensor dx = new Tensor(in);
        ref.backward(x, y, dy, dx, Pass.EVAL);
        float[] dxOld = randomFloats(rnd, (int) in.size());
        DevicePtr pdx = upload(device, dxOld);
        dnn.poolingBackward(pd, ALPHA, yd, py, yd, upload(device, dy.data), xd, px, BETA, xd, pdx);
        assertClose(blend(toDouble(dx.data), dxOld, ALPHA, BETA), mem.readFloats(pdx, dxOld.length), 1e-6, "pool bwd");
    }

    @Test
    void lrnMatchesTheCpuLayerWithAlphaBeta() {
        Shape s = new Shape(2, 7, 3, 4);
        LrnDesc ld = dnn.lrn(5, 1e-4, 0.75, 2.0);
        TensorDesc d = dnn.tensor(2, 7, 3, 4);
        LrnLayer ref = new LrnLayer("ref", 5, 1e-4, 0.75, 2.0);
        Tensor x = new Tensor(s, scaled(randomFloats(rnd, (int) s.size()), 30f)); // strong enough to normalise
        Tensor y = new Tensor(s);
        ref.forward(x, y, Pass.EVAL);
        float[] yOld = nans((int) s.size());
        DevicePtr px = upload(device, x.data);
        DevicePtr py = upload(device, yOld);
        dnn.lrnForward(ld, 1f, d, px, 0f, d, py);
        assertArrayEquals(y.data, mem.readFloats(py, y.data.length));

        Tensor dy = new Tensor(s, randomFloats(rnd, (int) s.size()));
        Tensor dx = new Tensor(s);
        ref.backward(x, y, dy, dx, Pass.EVAL);
        float[] dxOld = randomFloats(rnd, (int) s.size());
        DevicePtr pdx = upload(device, dxOld);
        dnn.lrnBackward(ld, ALPHA, d, py, d, upload(device, dy.data), d, px, BETA, d, pdx);
        assertClose(blend(toDouble(dx.data), dxOld, ALPHA, BETA), mem.readFloats(pdx, dxOld.length), 1e-6,
                "lrn bwd, seed " + seed);
    }

    @Test
    void algorithmListsAreConsistentWithWorkspaceSizes() {
        ConvSetup s = new ConvSetup(CONVS.get(2));
        for (ConvPass pass : ConvPass.values()) {
            List<AlgoPerf> list = dnn.convolutionAlgorithms(pass, s.xd, s.wd, s.cd, s.yd);
            boolean needsWorkspace = false;
            boolean needsNone = false;
            boolean failed = false;
            float previous = 0;
            for (AlgoPerf p : list) {
                if (p.ok()) {
                    assertEquals(p.memory(), dnn.convolutionWorkspaceSize(pass, s.xd, s.wd, s.cd, s.yd, p.algo()));
                    assertTrue(p.timeMillis() >= previous, "fastest first");
                    previous = p.timeMillis();
                    needsWorkspace |= p.memory() > 0;
                    needsNone |= p.memory() == 0;
                } else {
                    failed = true;
                    assertStatus("CUDNN_STATUS_NOT_SUPPORTED",
                            () -> dnn.convolutionWorkspaceSize(pass, s.xd, s.wd, s.cd, s.yd, p.algo()));
                }
            }
            assertTrue(needsWorkspace && needsNone && failed, pass + ": " + list);
            assertTrue(list.get(0).ok() && list.get(0).memory() > 0, "the fastest needs a workspace");
            assertStatus("CUDNN_STATUS_BAD_PARAM",
                    () -> dnn.convolutionWorkspaceSize(pass, s.xd, s.wd, s.cd, s.yd, 99));
            assertStatus("CUDNN_STATUS_BAD_PARAM",
                    () -> dnn.convolutionWorkspaceSize(pass, s.xd, s.wd, s.cd, s.yd, -1));
        }
        // FWD algorithm 5 (FFT_TILING) is in cuDNN's enum but not offered here.
        assertStatus("CUDNN_STATUS_NOT_SUPPORTED",
                () -> dnn.convolutionWorkspaceSize(ConvPass.FORWARD, s.xd, s.wd, s.cd, s.yd, 5));
    }

    @Test
    void theWorkspaceIsScribbledOverAsFarAsTheAlgorithmUsesIt() {
        ConvSetup s = new ConvSetup(CONVS.get(0));
        int algo = s.algo(ConvPass.FORWARD);
        long need = dnn.convolutionWorkspaceSize(ConvPass.FORWARD, s.xd, s.wd, s.cd, s.yd, algo);
        DevicePtr ws = upload(device, new float[(int) need / 4 + 8]);
        dnn.convolutionForward(1f, s.xd, upload(device, s.x), s.wd, upload(device, s.w), s.cd, algo, ws, need + 32,
                0f, s.yd, upload(device, s.y));
        float[] after = mem.readFloats(ws, (int) need / 4 + 8);
        assertTrue(Float.isNaN(after[0]) && Float.isNaN(after[(int) need / 4 - 1]));
        assertEquals(0f, after[(int) need / 4]);
    }

    @Test
    void rejectsDescriptorsThatDoNotMatchTheData() {
        ConvSetup s = new ConvSetup(CONVS.get(0));
        Conv g = s.g;
        DevicePtr px = upload(device, s.x);
        DevicePtr pw = upload(device, s.w);
        DevicePtr py = upload(device, s.y);
        int algo = s.algo(ConvPass.FORWARD);
        long need = dnn.convolutionWorkspaceSize(ConvPass.FORWARD, s.xd, s.wd, s.cd, s.yd, algo);
        assertTrue(need > 0);
        // A tensor bigger than its allocation: x described with one more sample.
        TensorDesc bigX = dnn.tensor(g.n + 1, g.c, g.h, g.w);
        TensorDesc bigY = dnn.tensor(g.n + 1, g.k, g.ho(), g.wo());
        assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> dnn.convolutionForward(1f, bigX, px, s.wd, pw, s.cd, algo,
                workspace, need, 0f, bigY, upload(device, new float[s.y.length * 2])));
        // A pointer offset past its allocation's end.
        assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> dnn.convolutionForward(1f, s.xd, px, s.wd, pw, s.cd, algo,
                workspace, need, 0f, s.yd, py.plusFloats(1)));
        // y dims that are not the convolution's output.
        TensorDesc wrongY = dnn.tensor(g.n, g.k, g.ho() + 1, g.wo());
        assertStatus("CUDNN_STATUS_BAD_PARAM", () -> dnn.convolutionForward(1f, s.xd, px, s.wd, pw, s.cd, algo,
                workspace, need, 0f, wrongY, py));
        // x channels != filter channels.
        FilterDesc wrongW = dnn.filter(g.k, g.c + 1, g.r, g.r);
        assertStatus("CUDNN_STATUS_BAD_PARAM", () -> dnn.convolutionOutputDim(s.cd, s.xd, wrongW));
        // A workspace smaller than the algorithm asks for.
        assertStatus("CUDNN_STATUS_BAD_PARAM", () -> dnn.convolutionForward(1f, s.xd, px, s.wd, pw, s.cd, algo,
                workspace, need - 1, 0f, s.yd, py));
        // A workspace size larger than the workspace's allocation.
        DevicePtr small = mem.alloc(need);
        assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> dnn.convolutionForward(1f, s.xd, px, s.wd, pw, s.cd, algo,
                small, need + 4, 0f, s.yd, py));
        // An algorithm number outside the enum.
        assertStatus("CUDNN_STATUS_BAD_PARAM", () -> dnn.convolutionForward(1f, s.xd, px, s.wd, pw, s.cd, 42,
                workspace, need, 0f, s.yd, py));
        // Use after free.
        mem.free(px);
        assertStatus("CUDA_ERROR_INVALID_VALUE", () -> dnn.convolutionForward(1f, s.xd, px, s.wd, pw, s.cd, algo,
                workspace, need, 0f, s.yd, py));
        // Pooling and LRN shapes.
        PoolDesc pd = dnn.maxPooling(3, 3, 0, 0, 2, 2, false);
        TensorDesc px13 = dnn.tensor(1, 1, 13, 13);
        DevicePtr buf = mem.alloc(4 * 169);
        assertStatus("CUDNN_STATUS_BAD_PARAM",
                () -> dnn.poolingForward(pd, 1f, px13, buf, 0f, dnn.tensor(1, 1, 7, 7), buf));
        assertStatus("CUDNN_STATUS_BAD_PARAM", () -> dnn.lrnForward(dnn.lrn(5, 1e-4, 0.75, 2), 1f, px13, buf, 0f,
                dnn.tensor(1, 1, 13, 12), buf));
        assertStatus("CUDNN_STATUS_BAD_PARAM", () -> dnn.convolutionBackwardBias(1f, s.yd, py, 0f,
                dnn.tensor(1, g.k, 1, 2), py));
    }

    @Test
    void rejectsBadDescriptorsAndWhatTheSimulatorCannotRun() {
        String bad = "CUDNN_STATUS_BAD_PARAM";
        String unsupported = "CUDNN_STATUS_NOT_SUPPORTED";
        assertStatus(bad, () -> dnn.tensor(0, 3, 4, 4));
        assertStatus(bad, () -> dnn.tensor(1, 3, -4, 4));
        assertStatus(bad, () -> dnn.filter(4, 3, 0, 3));
        assertStatus(bad, () -> dnn.convolution(-1, 0, 1, 1, false));
        assertStatus(bad, () -> dnn.convolution(0, 0, 0, 1, true));
        assertStatus(bad, () -> dnn.maxPooling(0, 3, 0, 0, 2, 2, false));
        assertStatus(bad, () -> dnn.lrn(17, 1e-4, 0.75, 2));
        assertStatus(bad, () -> dnn.lrn(5, 1e-4, 0.001, 2));
        assertStatus(unsupported, () -> dnn.tensor(1 << 16, 1 << 16, 1, 1));

        TensorDesc t = dnn.tensor(1, 1, 8, 8);
        dnn.destroy(t);
        assertStatus(bad, () -> dnn.destroy(t));
        assertStatus(bad, () -> dnn.poolingOutputDim(dnn.maxPooling(2, 2, 0, 0, 2, 2, false), t));
        try (SimDevice other = new SimDevice()) {
            TensorDesc foreign = other.dnn().tensor(1, 1, 8, 8);
            assertStatus(bad, () -> dnn.poolingOutputDim(dnn.maxPooling(2, 2, 0, 0, 2, 2, false), foreign));
        }

        DevicePtr buf = mem.alloc(4 * 64);
        TensorDesc x = dnn.tensor(1, 1, 8, 8);
        PoolDesc padded = dnn.maxPooling(3, 3, 1, 1, 2, 2, false);
        assertStatus(unsupported, () -> dnn.poolingForward(padded, 1f, x, buf, 0f, dnn.tensor(1, 1, 4, 4), buf));
        TensorDesc x4 = dnn.tensor(1, 4, 2, 2);
        assertStatus(unsupported, () -> dnn.lrnForward(dnn.lrn(4, 1e-4, 0.75, 2), 1f, x4, buf, 0f, x4, buf));
        ConvDesc rect = dnn.convolution(1, 0, 1, 1, false);
        FilterDesc f = dnn.filter(1, 1, 3, 3);
        TensorDesc y = dnn.tensor(1, 1, 8, 6);
        assertStatus(unsupported, () -> dnn.convolutionForward(1f, x, buf, f, buf, rect, 0, DevicePtr.NULL, 0, 0f, y,
                buf));
    }

    @Test
    void cudnnWorkIsCapturedOnTheHandlesStream() {
        ConvSetup s = new ConvSetup(CONVS.get(1));
        var streams = device.streams();
        var stream = streams.createStream();
        DevicePtr py = upload(device, s.y);
        int algo = s.algo(ConvPass.FORWARD);
        DevicePtr px = upload(device, s.x);
        DevicePtr pw = upload(device, s.w);
        dnn.setStream(stream);
        streams.beginCapture(stream);
        dnn.convolutionForward(1f, s.xd, px, s.wd, pw, s.cd, algo, workspace, 1 << 22, 0f, s.yd, py);
        var exec = streams.instantiate(streams.endCapture(stream));
        assertArrayEquals(s.y, mem.readFloats(py, s.y.length), "not run while capturing");
        streams.launch(exec, stream);
        assertFalse(java.util.Arrays.equals(s.y, mem.readFloats(py, s.y.length)));
        // With the handle back on the legacy stream, the same call during a capture is refused and invalidates it.
        dnn.setStream(null);
        streams.beginCapture(stream);
        assertStatus("CUDA_ERROR_STREAM_CAPTURE_IMPLICIT", () -> dnn.convolutionForward(1f, s.xd, px, s.wd, pw, s.cd,
                algo, workspace, 1 << 22, 0f, s.yd, py));
        assertStatus("CUDA_ERROR_STREAM_CAPTURE_INVALIDATED", () -> streams.endCapture(stream));
    }

    private static float[] nans(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, Float.NaN);
        return a;
    }

    private static float[] scaled(float[] a, float by) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= by;
        }
        return a;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
