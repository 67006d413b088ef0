package org.alexnetcuda.engine.cuda;

import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.device.Profiler;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.kernels.AdamKernels;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * The kernels of one training step or evaluation batch, enqueued on the engine's stream over the pool's fixed
 * pointers, so that the same sequence runs eagerly or is captured as a graph.
 *
 * <p>A training step: zero the gradient block; gather and preprocess the batch from the uint8 dataset in device
 * memory through the epoch's permutation (its start read from device memory); layers forward; softmax
 * cross-entropy with its gradient and device-resident totals; layers backward; one fused Adam pass over the
 * contiguous parameter block.
 *
 * <p>Mixed precision: the logits are widened to FP32 for the loss, whose gradient is multiplied by the loss scale
 * (fp16; 1 for bf16) as it is narrowed back; after backward, fp16 checks the gradients for infinities and NaNs, and
 * Adam (skipping the whole step if any were found, as GradScaler does) unscales them, updates the FP32 master
 * weights and moments, and writes the new 16-bit copy; the scale is then updated on the device.
 *
 * <p>Each part is enclosed in an NVTX range of {@link #prof}.
 */
final class StepKernels {
    private final CudaContext ctx;
    private final Stream stream;
    private final DevicePool pool;
    private final MemoryPlan mem;
    private final List<CudaLayer> layers;
    private final int inputSize;
    private final int classes;
    private final int paramCount;
    private final int trainCount;
    private final int testCount;
    private final boolean augment;
    private final boolean lossScaling;
    private final AdamKernels.Hyperparameters adamHyper;
    /** The storage format of activations, layer weights and gradients (F32 unless mixed precision). */
    private final StorageFormat act;
    private final boolean mixed;
    private final List<String> forwardRanges = new ArrayList<>();
    private final List<String> backwardRanges = new ArrayList<>();

    /** {@link Profiler#NONE} unless profiling was asked for, so the ranges cost nothing by default. */
    Profiler prof = Profiler.NONE;

    StepKernels(CudaContext ctx, DevicePool pool, MemoryPlan mem, List<CudaLayer> layers, NetworkSpec spec,
                EngineConfig config, int paramCount, int trainCount, int testCount) {
        this.ctx = ctx;
        this.stream = ctx.stream;
        this.pool = pool;
        this.mem = mem;
        this.layers = layers;
        this.inputSize = spec.inputSize();
        this.classes = spec.outputShape(1).c();
        this.paramCount = paramCount;
        this.trainCount = trainCount;
        this.testCount = testCount;
        this.augment = config.augment();
        this.lossScaling = config.precision().lossScaling();
        this.adamHyper = new AdamKernels.Hyperparameters(0.9, 0.999, 1e-8, config.weightDecay());
        this.act = ctx.act;
        this.mixed = act.isHalf();
        for (var l : spec.layers()) {
            // Range names made once: a profiled step allocates no strings per layer.
            forwardRanges.add(l.name() + " forward");
            backwardRanges.add(l.name() + " backward");
        }
    }

    private DevicePtr ptr(DevicePool.Region r) {
        return pool.ptr(r);
    }

    /** Sets the batch's position in the epoch (device memory, so that a graph replays every batch). */
    void setBatchStart(int from) {
        ctx.device.memory().setD32(ptr(mem.batchStart), from, 1, stream);
    }

    /**
     * One training step for a batch of n at epoch position {@code from} (which only the augmentation pointers use:
     * with --augment steps run eagerly, so they can point at the batch's slice of the epoch's crops and flips).
     */
    void trainStep(int n, int from) {
        prof.push("zero gradients");
        zeroGradients();
        prof.pop();
        trainData(n, from);
        forward(n, true);
        loss(n);
        for (int i = layers.size() - 1; i >= 0; i--) {
            backwardLayer(i, n);
        }
        adam();
    }

    /** One evaluation batch of n test samples: eval-mode forward, loss, eval totals and the confusion matrix. */
    void evalBatch(int n) {
        prof.push("data");
        testData(n);
        prof.pop();
        forward(n, false);
        prof.push("loss");
        DevicePtr logits = floatLogits(n);
        ctx.loss.forwardBackward(stream, null, ptr(mem.sampleLoss), ptr(mem.sampleCorrect), logits, ptr(mem.labels), n, classes);
        ctx.loss.accumulate(stream, ptr(mem.evalTotals), ptr(mem.sampleLoss), ptr(mem.sampleCorrect), n);
        ctx.loss.confusion(stream, ptr(mem.confusion), logits, ptr(mem.labels), n, classes);
        prof.pop();
    }

    /** Eval-mode logits of n test samples, as FP32 (outside any range: the engine reads them eagerly). */
    DevicePtr evalLogits(int n) {
        testData(n);
        forward(n, false);
        return floatLogits(n);
    }

    /** One memset over the gradient block (whole words in every format, see MemoryPlan). */
    void zeroGradients() {
        ctx.device.memory().setD32(ptr(mem.grads), 0, mem.grads.bytes() / 4, stream);
    }

    /**
     * The data step: gather the batch's images through the permutation, crop and flip them (--augment), preprocess
     * them into the input.
     */
    void trainData(int n, int from) {
        prof.push("data");
        DevicePtr crop = augment ? ptr(mem.crop).plus(8L * from) : null;
        DevicePtr flip = augment ? ptr(mem.flip).plus(4L * from) : null;
        ctx.data.prepareBatch(stream, ptr(mem.activations[0]), ptr(mem.labels), ptr(mem.trainImages), ptr(mem.trainLabels),
                trainCount, ptr(mem.perm), ptr(mem.batchStart), n, inputSize, crop, flip, act);
        prof.pop();
    }

    /** The test set's data step: in file order (no permutation), never augmented. */
    private void testData(int n) {
        ctx.data.prepareBatch(stream, ptr(mem.activations[0]), ptr(mem.labels), ptr(mem.testImages), ptr(mem.testLabels),
                testCount, null, ptr(mem.batchStart), n, inputSize, null, null, act);
    }

    private void forward(int n, boolean training) {
        for (int i = 0; i < layers.size(); i++) {
            forwardLayer(i, n, training);
        }
    }

    void forwardLayer(int i, int n, boolean training) {
        prof.push(forwardRanges.get(i));
        layers.get(i).forward(n, ptr(mem.activations[i]), ptr(mem.activations[i + 1]), training);
        prof.pop();
    }

    /**
     * Softmax cross-entropy of the logits: dL/dlogits into the gradient buffer of the last layer, totals updated.
     * Under mixed precision the loss runs in FP32 on widened logits, and its gradient, times the loss scale, is
     * narrowed into the last layer's 16-bit gradient.
     */
    void loss(int n) {
        prof.push("loss");
        int last = layers.size();
        DevicePtr dlogits = ptr(mem.activationGrads[last % 2]);
        DevicePtr logits = floatLogits(n);
        ctx.loss.forwardBackward(stream, mixed ? ptr(mem.logitGradsFloat) : dlogits, ptr(mem.sampleLoss),
                ptr(mem.sampleCorrect), logits, ptr(mem.labels), n, classes);
        if (mixed) {
            ctx.mixed.toHalfScaled(stream, dlogits, ptr(mem.logitGradsFloat), n * classes, ptr(mem.lossScale), act);
        }
        ctx.loss.accumulate(stream, ptr(mem.trainTotals), ptr(mem.sampleLoss), ptr(mem.sampleCorrect), n);
        prof.pop();
    }

    /** The last layer's output as FP32: itself, or under mixed precision its widened copy. */
    private DevicePtr floatLogits(int n) {
        DevicePtr logits = ptr(mem.activations[layers.size()]);
        if (!mixed) {
            return logits;
        }
        ctx.mixed.toFloat(stream, ptr(mem.logitsFloat), logits, n * classes, act);
        return ptr(mem.logitsFloat);
    }

    /** Layer i backward: dy and dx alternate between the two activation-gradient buffers; no dx for the first layer. */
    void backwardLayer(int i, int n) {
        DevicePtr dy = ptr(mem.activationGrads[(i + 1) % 2]);
        DevicePtr dx = i == 0 ? null : ptr(mem.activationGrads[i % 2]);
        prof.push(backwardRanges.get(i));
        layers.get(i).backward(n, ptr(mem.activations[i]), ptr(mem.activations[i + 1]), dy, dx);
        prof.pop();
    }

    /** The fused Adam pass; under mixed precision with fp16's finiteness check before it and the scale update after. */
    void adam() {
        prof.push("adam");
        if (!mixed) {
            ctx.adam.step(stream, ptr(mem.adamState), ptr(mem.params), ptr(mem.grads), ptr(mem.adamM), ptr(mem.adamV),
                    paramCount, adamHyper);
        } else {
            if (lossScaling) {
                ctx.mixed.checkFinite(stream, ptr(mem.grads), paramCount, ptr(mem.lossScale), act);
            }
            ctx.adam.stepMixed(stream, ptr(mem.adamState), ptr(mem.lossScale), ptr(mem.params), ptr(mem.paramsHalf),
                    ptr(mem.grads), ptr(mem.adamM), ptr(mem.adamV), paramCount, adamHyper, act);
            if (lossScaling) {
                ctx.mixed.updateScale(stream, ptr(mem.lossScale));
            }
        }
        prof.pop();
    }
}
