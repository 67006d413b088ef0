package org.alexnetcuda.engine.cuda;

import java.util.List;

import org.alexnetcuda.kernels.AdamKernels;
import org.alexnetcuda.kernels.MixedPrecisionKernels;
import org.alexnetcuda.kernels.SoftmaxCrossEntropyKernels;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * Every region of the CUDA engine's device pool for a network, a batch size and a dataset, in pool order:
 * <ul>
 * <li>parameters, gradients, Adam m and v: four blocks of P elements, each in state_dict order, so one memset
 *     zeroes the gradients and one Adam launch updates the model; under mixed precision also the 16-bit copy of
 *     the parameters that the layers read, and the gradients are 16-bit;</li>
 * <li>Adam's device state (step, learning rate, bias corrections), and under mixed precision the loss scale;</li>
 * <li>the input batch and every layer's output at the largest batch, kept for backward (elements of the storage
 *     format: 4 bytes, or 2 under mixed precision);</li>
 * <li>two activation-gradient buffers of the largest output (backward needs only dy and dx at a time);</li>
 * <li>under mixed precision, FP32 copies of the logits and of their gradient, for the FP32 loss;</li>
 * <li>labels, per-sample loss and correctness, the train and eval totals, the confusion matrix;</li>
 * <li>the epoch's permutation and the batch start (device memory, so that a graph replays every batch), and with
 *     --augment the epoch's crop offsets and flips;</li>
 * <li>the uint8 training and test images and labels;</li>
 * <li>the cuDNN workspace, and cuBLAS's ({@link #CUBLAS_WORKSPACE_BYTES});</li>
 * <li>only where layers run in FP32 because cuDNN refused their 16-bit calls ({@link Fp32Fallback}), the FP32
 *     scratch they share ({@link Fp32Scratch}).</li>
 * </ul>
 * {@code summary} prints it, and the engine allocates exactly it.
 */
public final class MemoryPlan {
    public final DevicePool.Plan pool = new DevicePool.Plan();
    final DevicePool.Region params;
    final DevicePool.Region paramsHalf;
    final DevicePool.Region grads;
    final DevicePool.Region adamM;
    final DevicePool.Region adamV;
    final DevicePool.Region adamState;
    final DevicePool.Region lossScale;
    final DevicePool.Region logitsFloat;
    final DevicePool.Region logitGradsFloat;
    final DevicePool.Region[] activations;
    final DevicePool.Region[] activationGrads;
    final DevicePool.Region labels;
    final DevicePool.Region sampleLoss;
    final DevicePool.Region sampleCorrect;
    final DevicePool.Region trainTotals;
    final DevicePool.Region evalTotals;
    final DevicePool.Region confusion;
    final DevicePool.Region perm;
    final DevicePool.Region batchStart;
    final DevicePool.Region crop;
    final DevicePool.Region flip;
    final DevicePool.Region trainImages;
    final DevicePool.Region trainLabels;
    final DevicePool.Region testImages;
    final DevicePool.Region testLabels;
    final DevicePool.Region workspace;
    final DevicePool.Region cublasWorkspace;
    /** The FP32 scratch of {@link Fp32Layer}s: x, y, dy, dx, gradients; null when no layer falls back. */
    final DevicePool.Region[] fp32Scratch;

    /**
     * The FP32 buffers the layers run in FP32 share ({@link Fp32Layer}): x and dx of {@code inSample} elements per
     * sample, y and dy of {@code outSample} (the largest over those layers), and {@code gradientElements} FP32
     * gradients indexed as the gradient block (up to the end of the last such layer's parameters).
     */
    public record Fp32Scratch(int inSample, int outSample, long gradientElements) {
        public static final Fp32Scratch NONE = new Fp32Scratch(0, 0, 0);
    }

    /**
     * cuBLAS's workspace, given to it with cublasSetWorkspace so that captured GEMMs allocate nothing: 32 MiB, the
     * size the cuBLAS API reference recommends for Hopper (4 MiB for earlier GPUs), on every GPU.
     */
    public static final long CUBLAS_WORKSPACE_BYTES = 32L << 20;

    /** Bytes of one CIFAR-10 image in device memory (uint8, 3 x 32 x 32). */
    public static final int IMAGE_BYTES = 3 * 32 * 32;

    public MemoryPlan(NetworkSpec spec, int maxBatch, int trainCount, int testCount, long workspaceBytes) {
        this(spec, maxBatch, trainCount, testCount, workspaceBytes, false);
    }

    /** With {@code augment}, the epoch's crop offsets and flips, one per position of the epoch's order. */
    public MemoryPlan(NetworkSpec spec, int maxBatch, int trainCount, int testCount, long workspaceBytes, boolean augment) {
        this(spec, maxBatch, trainCount, testCount, workspaceBytes, augment, StorageFormat.F32);
    }

    /** With {@code act} 16-bit, the plan of mixed precision. */
    public MemoryPlan(NetworkSpec spec, int maxBatch, int trainCount, int testCount, long workspaceBytes, boolean augment,
                      StorageFormat act) {
        this(spec, maxBatch, trainCount, testCount, workspaceBytes, augment, act, Fp32Scratch.NONE);
    }

    /** With the FP32 scratch of layers that run in FP32 under mixed precision (none: {@link Fp32Scratch#NONE}). */
    public MemoryPlan(NetworkSpec spec, int maxBatch, int trainCount, int testCount, long workspaceBytes, boolean augment,
                      StorageFormat act, Fp32Scratch fallback) {
        long p = spec.parameterCount();
        boolean half = act.isHalf();
        int e = act.bytes();
        int classes = spec.outputShape(1).c();
        params = pool.add("parameters", 4 * p);
        paramsHalf = pool.add("parameters, " + act.dtype() + " copy", half ? e * p : 0);
        // whole 32-bit words, so that one cuMemsetD32 zeroes the block in any format
        grads = pool.add("gradients", (e * p + 3) / 4 * 4);
        adamM = pool.add("adam m", 4 * p);
        adamV = pool.add("adam v", 4 * p);
        adamState = pool.add("adam state", AdamKernels.STATE_BYTES);
        lossScale = pool.add("loss scale", half ? MixedPrecisionKernels.LOSS_SCALE_BYTES : 0);
        List<Shape> outs = spec.outputShapes(maxBatch);
        activations = new DevicePool.Region[outs.size() + 1];
        activations[0] = pool.add("input", e * spec.inputShape(maxBatch).size());
        long largest = 0;
        for (int i = 0; i < outs.size(); i++) {
            activations[i + 1] = pool.add(spec.layers().get(i).name(), e * outs.get(i).size());
            largest = Math.max(largest, outs.get(i).size());
        }
        activationGrads = new DevicePool.Region[] {pool.add("activation gradient A", e * largest),
                pool.add("activation gradient B", e * largest)};
        logitsFloat = pool.add("logits, float32", half ? 4L * maxBatch * classes : 0);
        logitGradsFloat = pool.add("logit gradients, float32", half ? 4L * maxBatch * classes : 0);
        labels = pool.add("labels", 4L * maxBatch);
        sampleLoss = pool.add("sample loss", 8L * maxBatch);
        sampleCorrect = pool.add("sample correct", 4L * maxBatch);
        trainTotals = pool.add("train totals", 8L * SoftmaxCrossEntropyKernels.TOTALS);
        evalTotals = pool.add("eval totals", 8L * SoftmaxCrossEntropyKernels.TOTALS);
        confusion = pool.add("confusion", 8L * classes * classes);
        perm = pool.add("permutation", 4L * Math.max(trainCount, testCount));
        batchStart = pool.add("batch start", 4);
        crop = pool.add("augmentation crops", augment ? 8L * trainCount : 0);
        flip = pool.add("augmentation flips", augment ? 4L * trainCount : 0);
        trainImages = pool.add("train images", (long) trainCount * IMAGE_BYTES);
        trainLabels = pool.add("train labels", trainCount);
        testImages = pool.add("test images", (long) testCount * IMAGE_BYTES);
        testLabels = pool.add("test labels", testCount);
        workspace = pool.add("cudnn workspace", workspaceBytes);
        cublasWorkspace = pool.add("cublas workspace", CUBLAS_WORKSPACE_BYTES);
        if (fallback.equals(Fp32Scratch.NONE)) {
            fp32Scratch = null;
        } else {
            long in = 4L * maxBatch * fallback.inSample();
            long out = 4L * maxBatch * fallback.outSample();
            fp32Scratch = new DevicePool.Region[] {pool.add("fp32 fallback x", in), pool.add("fp32 fallback y", out),
                    pool.add("fp32 fallback dy", out), pool.add("fp32 fallback dx", in),
                    pool.add("fp32 fallback gradients", 4 * fallback.gradientElements())};
        }
    }

    /**
     * The regions in five groups, for reports: {parameters and optimizer, activations, gradients of activations,
     * dataset, the cuDNN and cuBLAS workspaces}.
     */
    public long[] groupBytes() {
        long paramsAndOpt = params.bytes() + paramsHalf.bytes() + grads.bytes() + adamM.bytes() + adamV.bytes()
                + adamState.bytes() + lossScale.bytes();
        long acts = logitsFloat.bytes();
        for (DevicePool.Region r : activations) {
            acts += r.bytes();
        }
        long actGrads = activationGrads[0].bytes() + activationGrads[1].bytes() + logitGradsFloat.bytes();
        long data = trainImages.bytes() + trainLabels.bytes() + testImages.bytes() + testLabels.bytes() + perm.bytes()
                + crop.bytes() + flip.bytes();
        if (fp32Scratch != null) {
            acts += fp32Scratch[0].bytes() + fp32Scratch[1].bytes();
            actGrads += fp32Scratch[2].bytes() + fp32Scratch[3].bytes();
            paramsAndOpt += fp32Scratch[4].bytes();
        }
        return new long[] {paramsAndOpt, acts, actGrads, data, workspace.bytes() + cublasWorkspace.bytes()};
    }

    public long totalBytes() {
        return pool.totalBytes();
    }
}
