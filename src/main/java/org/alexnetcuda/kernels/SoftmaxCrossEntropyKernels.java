package org.alexnetcuda.kernels;

import static org.alexnetcuda.kernels.ParamType.I32;
import static org.alexnetcuda.kernels.ParamType.PTR;

/**
 * Launchers for native-kernels/loss.cu: softmax cross-entropy with the batch-mean loss, its gradient, the
 * correct predictions, and device-resident totals read once per epoch. The per-sample arithmetic is the CPU
 * engine's {@code org.alexnetcuda.math.SoftmaxCrossEntropy} (double internally, float gradient).
 */
public final class SoftmaxCrossEntropyKernels {
    /**
     * softmax_xent_forward_backward(float* dlogits, double* sample_loss, int* sample_correct, const float* logits,
     * const int* labels, int n, int classes).
     */
    public static final Kernel FORWARD_BACKWARD = Kernel.of("loss", "softmax_xent_forward_backward",
            PTR, PTR, PTR, PTR, PTR, I32, I32);
    /** loss_accumulate(double* totals, const double* sample_loss, const int* sample_correct, int n). */
    public static final Kernel ACCUMULATE = Kernel.of("loss", "loss_accumulate", PTR, PTR, PTR, I32);
    /** confusion_accumulate(double* confusion, const float* logits, const int* labels, int n, int classes). */
    public static final Kernel CONFUSION = Kernel.of("loss", "confusion_accumulate", PTR, PTR, PTR, I32, I32);

    /** Threads per sample (power of two; native LOSS_BLOCK). */
    public static final int SAMPLE_BLOCK = 128;
    /** Threads of the single accumulating block (power of two; native ACCUMULATE_BLOCK). */
    public static final int ACCUMULATE_BLOCK = 256;
    /** Most blocks per launch; more samples are block-strided. */
    public static final int MAX_GRID = 65535;

    /** Number of doubles in the totals array. */
    public static final int TOTALS = 5;
    /** totals[LOSS_SUM]: sum of the per-sample losses. */
    public static final int LOSS_SUM = 0;
    /** totals[CORRECT]: correct predictions (argmax == label). */
    public static final int CORRECT = 1;
    /** totals[SAMPLES]: samples seen. */
    public static final int SAMPLES = 2;
    /** totals[BATCH_MEAN_SUM]: sum of the batches' mean losses (the notebook averages these per epoch). */
    public static final int BATCH_MEAN_SUM = 3;
    /** totals[BATCHES]: batches seen. */
    public static final int BATCHES = 4;

    private final KernelLauncher launcher;

    public SoftmaxCrossEntropyKernels(KernelLauncher launcher) {
        this.launcher = launcher;
    }

    /**
     * Per sample of logits [n x classes] (float): sampleLoss (double), sampleCorrect (int 0/1), and, unless dlogits
     * is null, dlogits = (softmax - onehot) / n (float). Labels are int32. Block per sample.
     */
    public void forwardBackward(Object stream, Object dlogits, Object sampleLoss, Object sampleCorrect,
                                Object logits, Object labels, int n, int classes) {
        LaunchShape.requireNonNegative("n", n);
        if (classes <= 0) {
            throw new IllegalArgumentException("classes must be > 0, got " + classes);
        }
        if (n > 0) {
            launcher.launch(FORWARD_BACKWARD, Math.min(n, MAX_GRID), SAMPLE_BLOCK, 0, stream,
                    dlogits, sampleLoss, sampleCorrect, logits, labels, n, classes);
        }
    }

    /** Adds the batch's sums to totals ({@link #TOTALS} doubles; zero them at the start of an epoch). */
    public void accumulate(Object stream, Object totals, Object sampleLoss, Object sampleCorrect, int n) {
        LaunchShape.requireNonNegative("n", n);
        if (n > 0) {
            launcher.launch(ACCUMULATE, 1, ACCUMULATE_BLOCK, 0, stream, totals, sampleLoss, sampleCorrect, n);
        }
    }

    /**
     * Adds each sample's (label, argmax) to the confusion matrix (classes x classes doubles, row = true class;
     * zero it at the start of an evaluation). One thread walks the batch.
     */
    public void confusion(Object stream, Object confusion, Object logits, Object labels, int n, int classes) {
        LaunchShape.requireNonNegative("n", n);
        if (n > 0) {
            launcher.launch(CONFUSION, 1, 1, 0, stream, confusion, logits, labels, n, classes);
        }
    }
}
