package org.alexnetcuda.engine.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.alexnetcuda.device.DeviceMemory;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.engine.Totals;
import org.alexnetcuda.kernels.AdamKernels;
import org.alexnetcuda.kernels.MixedPrecisionKernels;
import org.alexnetcuda.kernels.SoftmaxCrossEntropyKernels;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * The training state that lives in the pool, as the host reads and writes it: the parameters, Adam's moments and
 * device state (whose step count a skipped fp16 step does not advance), fp16's loss scale, the train and eval totals
 * and the confusion matrix; and, for tests, activations and gradients. The device's records are little-endian
 * words; 16-bit elements are widened to floats as they are read.
 *
 * <p>Reads copy to the host, which waits for the queued steps; the writes behind an Engine method (parameters,
 * totals, optimizer state) synchronise the stream before returning.
 */
final class DeviceState {
    private final CudaContext ctx;
    private final DeviceMemory memory;
    private final Stream stream;
    private final DevicePool pool;
    private final MemoryPlan mem;
    private final NetworkSpec spec;
    private final EngineConfig config;
    private final int classes;
    private final int paramCount;
    /** The storage format of activations, layer weights and gradients (F32 unless mixed precision). */
    private final StorageFormat act;
    private final boolean mixed;
    /**
     * The loss scale of a restored checkpoint, kept for this engine's own checkpoints when it does not scale (fp32,
     * tf32, bf16 continuing an fp16 run): its skipped steps are training steps Adam did not count.
     */
    private OptimizerState.LossScale carriedLossScale;

    DeviceState(CudaContext ctx, DevicePool pool, MemoryPlan mem, NetworkSpec spec, EngineConfig config, int paramCount) {
        this.ctx = ctx;
        this.memory = ctx.device.memory();
        this.stream = ctx.stream;
        this.pool = pool;
        this.mem = mem;
        this.spec = spec;
        this.config = config;
        this.classes = spec.outputShape(1).c();
        this.paramCount = paramCount;
        this.act = ctx.act;
        this.mixed = act.isHalf();
    }

    private DevicePtr ptr(DevicePool.Region r) {
        return pool.ptr(r);
    }

    /** --lr as the double PyTorch (and the CPU engine's Adam) would hold: 1e-3f is 0.001. */
    private double learningRate() {
        return org.alexnetcuda.math.Adam.decimal(config.learningRate());
    }

    /**
     * The state before the first step: the initial parameters, fp16's initial loss scale (1 for bf16), zero moments
     * and Adam at step 0. Enqueued only; the caller synchronises.
     */
    void writeInitial(ParameterStore initial) {
        memory.copyToDevice(ptr(mem.params), initial.values, 0, paramCount, stream);
        refreshHalfParameters();
        if (mixed) {
            writeLossScale(config.precision().lossScaling() ? MixedPrecisionKernels.INIT_SCALE : 1f, 0, 0);
        }
        memory.setD32(ptr(mem.adamM), 0, paramCount, stream);
        memory.setD32(ptr(mem.adamV), 0, paramCount, stream);
        writeAdamState(0);
    }

    void readParameters(ParameterStore into) {
        memory.copyToHost(into.values, 0, paramCount, ptr(mem.params), stream);
    }

    void writeParameters(ParameterStore from) {
        memory.copyToDevice(ptr(mem.params), from.values, 0, paramCount, stream);
        refreshHalfParameters();
        ctx.device.streams().synchronize(stream);
    }

    /**
     * Under mixed precision the layers' 16-bit weights are rewritten from the FP32 master weights (after an upload;
     * Adam keeps them current during training).
     */
    private void refreshHalfParameters() {
        if (mixed) {
            ctx.mixed.toHalf(stream, ptr(mem.paramsHalf), ptr(mem.params), paramCount, act);
        }
    }

    Totals totals() {
        double[] t = new double[SoftmaxCrossEntropyKernels.TOTALS];
        double[] e = new double[SoftmaxCrossEntropyKernels.TOTALS];
        double[] c = new double[classes * classes];
        memory.copyToHost(t, 0, t.length, ptr(mem.trainTotals), stream);
        memory.copyToHost(e, 0, e.length, ptr(mem.evalTotals), stream);
        memory.copyToHost(c, 0, c.length, ptr(mem.confusion), stream);
        long[][] confusion = new long[classes][classes];
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                confusion[i][j] = (long) c[i * classes + j];
            }
        }
        return new Totals(t[SoftmaxCrossEntropyKernels.BATCH_MEAN_SUM], (long) t[SoftmaxCrossEntropyKernels.BATCHES],
                (long) t[SoftmaxCrossEntropyKernels.SAMPLES], e[SoftmaxCrossEntropyKernels.LOSS_SUM],
                (long) e[SoftmaxCrossEntropyKernels.CORRECT], (long) e[SoftmaxCrossEntropyKernels.SAMPLES], confusion);
    }

    void restoreTotals(Totals t) {
        double[] train = new double[SoftmaxCrossEntropyKernels.TOTALS];
        train[SoftmaxCrossEntropyKernels.SAMPLES] = t.trainSamples();
        train[SoftmaxCrossEntropyKernels.BATCH_MEAN_SUM] = t.trainLossSum();
        train[SoftmaxCrossEntropyKernels.BATCHES] = t.trainBatches();
        double[] eval = new double[SoftmaxCrossEntropyKernels.TOTALS];
        eval[SoftmaxCrossEntropyKernels.LOSS_SUM] = t.evalLossSum();
        eval[SoftmaxCrossEntropyKernels.CORRECT] = t.evalCorrect();
        eval[SoftmaxCrossEntropyKernels.SAMPLES] = t.evalSamples();
        double[] confusion = new double[classes * classes];
        for (int i = 0; i < classes && i < t.confusion().length; i++) {
            for (int j = 0; j < classes; j++) {
                confusion[i * classes + j] = t.confusion()[i][j];
            }
        }
        memory.copyToDevice(ptr(mem.trainTotals), doublesAsBytes(train), 0, 8 * train.length, stream);
        memory.copyToDevice(ptr(mem.evalTotals), doublesAsBytes(eval), 0, 8 * eval.length, stream);
        memory.copyToDevice(ptr(mem.confusion), doublesAsBytes(confusion), 0, 8 * confusion.length, stream);
        ctx.device.streams().synchronize(stream);
    }

    /** Zeroes the totals (two words a double). Enqueued only. */
    void resetTotals() {
        memory.setD32(ptr(mem.trainTotals), 0, 2L * SoftmaxCrossEntropyKernels.TOTALS, stream);
        memory.setD32(ptr(mem.evalTotals), 0, 2L * SoftmaxCrossEntropyKernels.TOTALS, stream);
        memory.setD32(ptr(mem.confusion), 0, 2L * classes * classes, stream);
    }

    /**
     * Adam's moments and step count, and the loss scale (fp16's, or one carried from a restored fp16 state): Adam's
     * step count is read from the device, where a skipped step does not count it.
     */
    OptimizerState optimizerState() {
        float[] m = new float[paramCount];
        float[] v = new float[paramCount];
        memory.copyToHost(m, 0, paramCount, ptr(mem.adamM), stream);
        memory.copyToHost(v, 0, paramCount, ptr(mem.adamV), stream);
        long adamSteps = AdamKernels.decodeT(readRecord(mem.adamState, AdamKernels.STATE_BYTES));
        OptimizerState.LossScale scale = lossScale();
        return new OptimizerState(adamSteps, m, v, scale != null ? scale : carriedLossScale);
    }

    /**
     * The moments, Adam's step count (which also drives the dropout masks) and the loss scale are replaced. An fp16
     * engine given a state without a loss scale starts from GradScaler's initial one.
     */
    void restoreOptimizerState(OptimizerState state) {
        if (state.m().length != paramCount) {
            throw new IllegalArgumentException("optimizer state of " + state.m().length + " moments for " + paramCount + " parameters");
        }
        memory.copyToDevice(ptr(mem.adamM), state.m(), 0, paramCount, stream);
        memory.copyToDevice(ptr(mem.adamV), state.v(), 0, paramCount, stream);
        writeAdamState(state.step());
        carriedLossScale = state.lossScale();
        if (config.precision().lossScaling()) {
            OptimizerState.LossScale ls = state.lossScale() != null ? state.lossScale()
                    : new OptimizerState.LossScale(MixedPrecisionKernels.INIT_SCALE, 0, 0);
            writeLossScale(ls.scale(), ls.goodSteps(), ls.skippedSteps());
        }
        ctx.device.streams().synchronize(stream);
    }

    /** fp16's loss scale as the device holds it (reading it waits for the queued steps); null otherwise. */
    OptimizerState.LossScale lossScale() {
        if (!config.precision().lossScaling()) {
            return null;
        }
        byte[] b = readRecord(mem.lossScale, MixedPrecisionKernels.LOSS_SCALE_BYTES);
        return new OptimizerState.LossScale(MixedPrecisionKernels.decodeScale(b), MixedPrecisionKernels.decodeGoodSteps(b),
                MixedPrecisionKernels.decodeSkipped(b));
    }

    /** Sets the fp16 loss scale (good steps and skipped count kept at 0): tests force an overflow with it. */
    void overrideLossScale(float scale) {
        if (!config.precision().lossScaling()) {
            throw new IllegalStateException("no loss scale in " + config.precision());
        }
        writeLossScale(scale, 0, 0);
        ctx.device.streams().synchronize(stream);
    }

    private void writeLossScale(float scale, int goodSteps, long skipped) {
        memory.copyToDevice(ptr(mem.lossScale), MixedPrecisionKernels.encodeLossScale(scale, goodSteps, skipped), 0,
                MixedPrecisionKernels.LOSS_SCALE_BYTES, stream);
    }

    private void writeAdamState(long step) {
        memory.copyToDevice(ptr(mem.adamState), AdamKernels.encodeState(step, learningRate()), 0,
                AdamKernels.STATE_BYTES, stream);
    }

    /** A device record of {@code bytes} (a multiple of 4) at the region's start, read as whole words. */
    private byte[] readRecord(DevicePool.Region r, int bytes) {
        int[] words = new int[bytes / 4];
        memory.copyToHost(words, 0, words.length, ptr(r), stream);
        return intsAsBytes(words);
    }

    /** The output of layer i after the last forward pass, widened to FP32 (tests compare it with the CPU engine). */
    float[] readActivation(int layer, int n) {
        Shape s = spec.outputShapes(n).get(layer);
        return readElements(ptr(mem.activations[layer + 1]), Math.toIntExact(s.size()));
    }

    /**
     * The gradient block after the last training step, widened to FP32 (tests compare it with the CPU engine); under
     * fp16 still multiplied by the loss scale of that step.
     */
    float[] readGradients() {
        return readElements(ptr(mem.grads), paramCount);
    }

    /** count elements of the storage format at src, as floats. */
    private float[] readElements(DevicePtr src, int count) {
        float[] out = new float[count];
        if (!mixed) {
            memory.copyToHost(out, 0, count, src, stream);
            return out;
        }
        // 16-bit elements read as whole words (regions are 256-byte aligned, so the last word is inside the pool)
        int[] words = new int[(count + 1) / 2];
        memory.copyToHost(words, 0, words.length, src, stream);
        for (int i = 0; i < count; i++) {
            out[i] = act.decode((short) (words[i / 2] >>> (16 * (i % 2))));
        }
        return out;
    }

    private static byte[] doublesAsBytes(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    private static byte[] intsAsBytes(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : v) {
            b.putInt(i);
        }
        return b.array();
    }
}
