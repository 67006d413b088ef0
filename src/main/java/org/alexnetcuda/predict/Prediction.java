package org.alexnetcuda.predict;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The top-k classes of one image with their softmax probabilities, most probable first (ties: lower class index
 * first, as torch.topk on CPU).
 */
public record Prediction(Path file, int[] classes, double[] probabilities) {

    /** From the logits at logits[offset .. offset + n): softmax in double, max subtracted for stability. */
    public static Prediction of(Path file, float[] logits, int offset, int n, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, logits[offset + j]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int j = 0; j < n; j++) {
            p[j] = Math.exp(logits[offset + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < n; j++) {
            p[j] /= sum;
        }
        int[] order = java.util.stream.IntStream.range(0, n).boxed()
                .sorted((a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue).limit(k).toArray();
        double[] top = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            top[i] = p[order[i]];
        }
        return new Prediction(file, order, top);
    }

    /** {@code file: cat 0.8123, dog 0.1021, deer 0.0345} */
    public String format(List<String> names) {
        StringBuilder sb = new StringBuilder(file.toString()).append(':');
        for (int i = 0; i < classes.length; i++) {
            sb.append(i == 0 ? " " : ", ").append(names.get(classes[i]))
                    .append(String.format(Locale.ROOT, " %.4f", probabilities[i]));
        }
        return sb.toString();
    }
}
