package org.alexnetcuda.kernels.reference;

import org.alexnetcuda.math.SoftmaxCrossEntropy;

/**
 * native-kernels/loss.cu in Java, with the CPU engine's per-sample arithmetic ({@link SoftmaxCrossEntropy#argmax},
 * {@link SoftmaxCrossEntropy#logSumExp}, {@link SoftmaxCrossEntropy#gradient}).
 * <pre>
 *   softmax_xent_forward_backward(float* dlogits, double* sample_loss, int* sample_correct, const float* logits,
 *                                 const int* labels, int n, int classes)
 *       per sample s of z [n x classes]: lse = max + log(sum_j exp(z_j - max)) in double;
 *       sample_loss[s] = lse - z[label]; sample_correct[s] = argmax == label; traps on a label outside [0, classes)
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
 * <p>One rule for a label and for the prediction in both kernels, as the CPU engine's: a label outside [0, classes)
 * traps (the CPU engine refuses it; it can only come from corrupt memory or a launcher bug), and the prediction is
 * {@link SoftmaxCrossEntropy#argmax}, torch.argmax's order with NaN above every number.
 */
public final class LossReference {
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
        requireLabels(mem, kernel, labels, n, classes);
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
                int arg = SoftmaxCrossEntropy.argmax(z, base, classes);
                float max = z[base + arg];
                double lse = SoftmaxCrossEntropy.logSumExp(z, base, classes, max);
                if (withGradient) {
                    SoftmaxCrossEntropy.gradient(z, base, classes, lse, label[i], n, d, base);
                }
                loss[i] = lse - z[base + label[i]];
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
     * Traps as the kernels' KERNEL_REQUIRE(label >= 0 && label < classes), checked before anything is written (on the
     * GPU the launch fails and its outputs are garbage; here they keep their values).
     */
    private static void requireLabels(KernelMemory mem, String kernel, Object labels, int n, int classes) {
        int[] label = new int[Chunks.bufferLength(n)];
        Chunks.forEach(n, (from, count) -> {
            mem.readInts(labels, from, label, 0, count);
            for (int i = 0; i < count; i++) {
                if (!(label[i] >= 0 && label[i] < classes)) {
                    throw new KernelTrapException(kernel, "label >= 0 && label < classes",
                            "sample " + (from + i) + ": label " + label[i] + ", " + classes + " classes");
                }
            }
        });
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
        requireLabels(mem, kernel, labels, n, classes);
        int[] label = new int[n];
        mem.readInts(labels, 0, label, 0, n);
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
