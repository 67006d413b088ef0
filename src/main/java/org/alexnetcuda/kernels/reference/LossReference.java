package org.alexnetcuda.kernels.reference;

import org.alexnetcuda.engine.cpu.SoftmaxCrossEntropy;

/**
 * native-kernels/loss.cu in Java, with the CPU engine's per-sample arithmetic ({@link SoftmaxCrossEntropy#argmax},
 * {@link SoftmaxCrossEntropy#logSumExp}, {@link SoftmaxCrossEntropy#gradient}).
 * <pre>
 *   softmax_xent_forward_backward(float* dlogits, double* sample_loss, int* sample_correct, const float* logits,
 *                                 const int* labels, int n, int classes)
 *       per sample s of z [n x classes]: lse = max + log(sum_j exp(z_j - max)) in double;
 *       sample_loss[s] = lse - z[label] (NaN for a label outside [0, classes)); sample_correct[s] = argmax == label;
 *       unless dlogits is null, dlogits[s, j] = (float) ((exp(z_j - lse) - [j == label]) / n)
 *   loss_accumulate(double* totals, const double* sample_loss, const int* sample_correct, int n)
 *       totals += {sum of losses, correct, n, sum of losses / n, 1}; nothing for n <= 0
 *   confusion_accumulate(double* confusion, const float* logits, const int* labels, int n, int classes)
 *       confusion[label * classes + argmax] += 1 per sample; traps on a label outside [0, classes)
 * </pre>
 * Sums run in sample and class order, as the CPU engine's; the kernels reduce in a tree, so their sums differ in
 * the last bits of a double (and the exp/log of CUDA or glibc by an ulp from Java's): losses agree to ~1e-15
 * relative and gradients to the float rounding, almost always bit for bit. Predictions and counts are exact.
 *
 * <p>Argmax of the loss kernel: the first maximum among the non-NaN logits (its shared-memory reduction skips NaN),
 * and none when every logit is NaN. That is the CPU engine's argmax except where a NaN logit precedes the maximum,
 * which only a diverged network produces; the loss is NaN then either way. confusion_accumulate's argmax is the CPU
 * engine's exactly (strict comparisons from class 0).
 */
public final class LossReference {
    /** The loss kernel's argmax when every logit is NaN (its initial index, INT_MAX): never a valid label. */
    static final int NO_CLASS = Integer.MAX_VALUE;

    private LossReference() {
    }

    public static void softmaxXentForwardBackward(KernelMemory mem, Object dlogits, Object sampleLoss,
                                                  Object sampleCorrect, Object logits, Object labels, int n,
                                                  int classes) {
        String kernel = "softmax_xent_forward_backward";
        if (n <= 0) {
            return;
        }
        if (classes < 0) {
            throw new IllegalArgumentException(kernel + ": classes " + classes + " < 0");
        }
        Pointers.required(sampleLoss, kernel, "sample_loss");
        Pointers.required(sampleCorrect, kernel, "sample_correct");
        Pointers.required(logits, kernel, "logits");
        Pointers.required(labels, kernel, "labels");
        boolean withGradient = !Pointers.isNull(dlogits);
        int samples = samplesPerPiece(classes, n);
        float[] z = new float[samples * classes];
        float[] d = withGradient ? new float[z.length] : null;
        int[] label = new int[samples];
        double[] loss = new double[samples];
        int[] correct = new int[samples];
        for (int s0 = 0; s0 < n; s0 += samples) {
            int count = Math.min(samples, n - s0);
            long first = (long) s0 * classes;
            mem.readFloats(logits, first, z, 0, count * classes);
            mem.readInts(labels, s0, label, 0, count);
            for (int i = 0; i < count; i++) {
                int base = i * classes;
                int arg = argmaxSkippingNaN(z, base, classes);
                float max = arg == NO_CLASS ? Float.NEGATIVE_INFINITY : z[base + arg];
                double lse = SoftmaxCrossEntropy.logSumExp(z, base, classes, max);
                if (withGradient) {
                    SoftmaxCrossEntropy.gradient(z, base, classes, lse, label[i], n, d, base);
                }
                boolean valid = label[i] >= 0 && label[i] < classes;
                loss[i] = valid ? lse - z[base + label[i]] : Double.NaN;
                correct[i] = arg == label[i] ? 1 : 0;
            }
            if (withGradient) {
                mem.writeFloats(dlogits, first, d, 0, count * classes);
            }
            mem.writeDoubles(sampleLoss, s0, loss, 0, count);
            mem.writeInts(sampleCorrect, s0, correct, 0, count);
        }
    }

    /**
     * The loss kernel's argmax: the first index of the largest non-NaN logit ((value, index) compared as the
     * kernel's argmax_better), or {@link #NO_CLASS} when all are NaN (or there are no classes).
     */
    static int argmaxSkippingNaN(float[] z, int base, int classes) {
        int best = NO_CLASS;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            float v = z[base + j];
            if (v > max || (v == max && j < best)) {
                max = v;
                best = j;
            }
        }
        return best;
    }

    public static void lossAccumulate(KernelMemory mem, Object totals, Object sampleLoss, Object sampleCorrect,
                                      int n) {
        String kernel = "loss_accumulate";
        if (n <= 0) {
            return;
        }
        Pointers.required(totals, kernel, "totals");
        Pointers.required(sampleLoss, kernel, "sample_loss");
        Pointers.required(sampleCorrect, kernel, "sample_correct");
        double[] loss = new double[Chunks.bufferLength(n)];
        int[] correct = new int[loss.length];
        double[] sums = new double[1];
        int[] hits = new int[1];
        Chunks.forEach(n, (from, count) -> {
            mem.readDoubles(sampleLoss, from, loss, 0, count);
            mem.readInts(sampleCorrect, from, correct, 0, count);
            for (int i = 0; i < count; i++) {
                sums[0] += loss[i];
                hits[0] += correct[i];  // int, as the kernel's
            }
        });
        double[] t = new double[5];
        mem.readDoubles(totals, 0, t, 0, t.length);
        t[0] += sums[0];
        t[1] += hits[0];
        t[2] += n;
        t[3] += sums[0] / n;
        t[4] += 1.0;
        mem.writeDoubles(totals, 0, t, 0, t.length);
    }

    public static void confusionAccumulate(KernelMemory mem, Object confusion, Object logits, Object labels, int n,
                                           int classes) {
        String kernel = "confusion_accumulate";
        if (n <= 0) {
            return;
        }
        Pointers.required(confusion, kernel, "confusion");
        Pointers.required(logits, kernel, "logits");
        Pointers.required(labels, kernel, "labels");
        int[] label = new int[n];
        mem.readInts(labels, 0, label, 0, n);
        for (int s = 0; s < n; s++) {
            // Checked before any count is added: a trap leaves the matrix as it was (on the GPU the launch fails).
            if (!(label[s] >= 0 && label[s] < classes)) {
                throw new KernelTrapException(kernel, "label >= 0 && label < classes",
                        "sample " + s + ": label " + label[s] + ", " + classes + " classes");
            }
        }
        double[] matrix = new double[Math.multiplyExact(classes, classes)];
        mem.readDoubles(confusion, 0, matrix, 0, matrix.length);
        int samples = samplesPerPiece(classes, n);
        float[] z = new float[samples * classes];
        for (int s0 = 0; s0 < n; s0 += samples) {
            int count = Math.min(samples, n - s0);
            mem.readFloats(logits, (long) s0 * classes, z, 0, count * classes);
            for (int i = 0; i < count; i++) {
                matrix[label[s0 + i] * classes + SoftmaxCrossEntropy.argmax(z, i * classes, classes)] += 1.0;
            }
        }
        mem.writeDoubles(confusion, 0, matrix, 0, matrix.length);
    }

    /** Whole samples per piece of about Chunks.ELEMENTS logits, at least one, at most n. */
    private static int samplesPerPiece(int classes, int n) {
        return Math.max(1, Math.min(n, Chunks.ELEMENTS / Math.max(1, classes)));
    }
}
