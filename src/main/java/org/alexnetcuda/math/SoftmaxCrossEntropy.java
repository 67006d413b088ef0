package org.alexnetcuda.math;

import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * Softmax cross-entropy on logits z of shape (N, K, 1, 1), as PyTorch's {@code nn.CrossEntropyLoss} (mean reduction)
 * and {@code torch.argmax}.
 *
 * <pre>
 *   loss_n   = logsumexp(z_n) - z_n[label_n],   logsumexp(z) = m + log(sum_k exp(z_k - m)),  m = max_k z_k
 *   lossSum  = sum_n loss_n                     (the caller divides by N for the mean loss)
 *   correct  = #{n : argmax_k z_n[k] == label_n}, ties to the FIRST maximum (lowest k), as torch.argmax
 *   dz_n[k]  = (softmax(z_n)[k] - [k == label_n]) / N,  softmax(z)[k] = exp(z_k - logsumexp(z))
 * </pre>
 * dz is the gradient of the MEAN loss. Subtracting the maximum keeps every exp() in (0, 1], so large logits (1e4)
 * give finite results; the per-sample sums and logs run in double, the gradient is rounded to float at the end.
 * lossSum adds the per-sample losses in sample order, so it does not depend on the thread count.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /*
     * The per-sample pieces, shared with the reference of the GPU kernels (org.alexnetcuda.kernels.reference.
     * LossReference) so that one definition of each formula exists in Java. Sample s is z[base .. base + classes).
     */

    /**
     * argmax_k z[base + k] in torch.argmax's order: NaN above every number (a diverged row predicts its first NaN),
     * otherwise the largest value, ties to the first index. The GPU's loss and confusion kernels (loss.cu,
     * argmax_better) follow the same order, so the CPU engine, both kernels and the notebook's torch.max count the
     * same predictions whatever the logits hold.
     */
    public static int argmax(float[] z, int base, int classes) {
        int arg = 0;
        for (int k = 1; k < classes; k++) {
            if (argmaxBetter(z[base + k], k, z[base + arg], arg)) {
                arg = k;
            }
        }
        return arg;
    }

    /** Whether (v, i) comes before (best, bestIndex) in {@link #argmax}'s order; loss.cu's argmax_better. */
    public static boolean argmaxBetter(float v, int i, float best, int bestIndex) {
        boolean vNaN = Float.isNaN(v);
        boolean bestNaN = Float.isNaN(best);
        if (vNaN || bestNaN) {
            return vNaN && (!bestNaN || i < bestIndex);
        }
        return v > best || (v == best && i < bestIndex);
    }

    /**
     * logsumexp of the sample given its maximum m: m + log(sum_k exp(z_k - m)) in double, summed in class order.
     * With m the true maximum every term is in (0, 1], so nothing overflows.
     */
    public static double logSumExp(float[] z, int base, int classes, float max) {
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            sum += Math.exp((double) z[base + k] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * The gradient of the batch-mean loss for one sample of a batch of n: d[dBase + k] = (float) ((exp(z_k - lse) -
     * [k == label]) / n), rounded to float once. A label outside [0, classes) subtracts nothing.
     */
    public static void gradient(float[] z, int base, int classes, double lse, int label, int n, float[] d, int dBase) {
        for (int k = 0; k < classes; k++) {
            double p = Math.exp((double) z[base + k] - lse);
            d[dBase + k] = (float) ((k == label ? p - 1 : p) / n);
        }
    }

    /** The summed loss over the batch and the number of correct top-1 predictions. */
    public record Result(double lossSum, int correct) {
    }

    /**
     * @param logits  (N, K, 1, 1)
     * @param labels  N labels in [0, K)
     * @param dLogits null, or a tensor of the logits' shape (it may be {@code logits} itself), overwritten with
     *                the gradient of the mean loss
     */
    public static Result compute(Tensor logits, int[] labels, Tensor dLogits) {
        Shape s = logits.shape;
        if (s.h() != 1 || s.w() != 1) {
            throw new IllegalArgumentException("logits must be (N, classes, 1, 1), got " + s);
        }
        int n = s.n();
        int classes = s.c();
        if (labels.length != n) {
            throw new IllegalArgumentException(labels.length + " labels for a batch of " + n);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is outside [0, " + classes + ")");
            }
        }
        if (dLogits != null && !dLogits.shape.equals(s)) {
            throw new IllegalArgumentException("dLogits " + dLogits.shape + " should be " + s);
        }
        double[] loss = new double[n];
        boolean[] hit = new boolean[n];
        Parallel.forEach(n, i -> {
            int base = i * classes;
            float[] z = logits.data;
            int arg = argmax(z, base, classes);
            double lse = logSumExp(z, base, classes, z[base + arg]);
            int label = labels[i];
            loss[i] = lse - z[base + label];
            hit[i] = arg == label;
            if (dLogits != null) {
                gradient(z, base, classes, lse, label, n, dLogits.data, base);
            }
        });
        double lossSum = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            lossSum += loss[i];
            correct += hit[i] ? 1 : 0;
        }
        return new Result(lossSum, correct);
    }
}
