package org.alexnetcuda.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bilinear resize of square planes with the semantics of PyTorch
 * {@code F.interpolate(x, size=(out, out), mode='bilinear', align_corners=False)} (no antialias, its default).
 *
 * <p>Per axis, output index d reads source coordinate {@code s = max(0, (d + 0.5) * in / out - 0.5)} (computed in
 * double; PyTorch uses float here, which moves weights by up to ~1e-6 near the far edge, its own rounding); neighbours
 * {@code i0 = floor(s)}, {@code i1 = min(i0 + 1, in - 1)} (clamped to the edge) with weights
 * {@code w1 = s - i0}, {@code w0 = 1 - w1}. The filter is separable, so a plane is resized along x into a
 * temporary of in rows, then along y: {@code out[y][x] = w0[y] * t[i0[y]][x] + w1[y] * t[i1[y]][x]} with
 * {@code t[r][x] = w0[x] * in[r][i0[x]] + w1[x] * in[r][i1[x]]}, the same products and sums PyTorch's CPU kernel
 * forms. The tables are computed once per (in, out) and shared; they are also what a GPU kernel needs.
 */
public final class BilinearResize {
    private static final Map<Long, BilinearResize> CACHE = new ConcurrentHashMap<>();

    private final int in;
    private final int out;
    private final int[] index0;
    private final int[] index1;
    private final float[] weight0;
    private final float[] weight1;

    private BilinearResize(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("resize " + in + " -> " + out);
        }
        this.in = in;
        this.out = out;
        index0 = new int[out];
        index1 = new int[out];
        weight0 = new float[out];
        weight1 = new float[out];
        double ratio = (double) in / out;
        for (int d = 0; d < out; d++) {
            // When sizes are equal PyTorch copies; this formula then gives s = d exactly, i.e. the same copy.
            double s = Math.max(0.0, ratio * (d + 0.5) - 0.5);
            int i0 = (int) s; // s >= 0, so truncation is floor
            float w1 = (float) (s - i0);
            index0[d] = i0;
            index1[d] = i0 < in - 1 ? i0 + 1 : i0;
            weight1[d] = w1;
            weight0[d] = 1f - w1;
        }
    }

    /** The shared tables for in -> out. */
    public static BilinearResize of(int in, int out) {
        return CACHE.computeIfAbsent(((long) in << 32) | out, k -> new BilinearResize(in, out));
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** Source index i0 for each output index (shared array; do not modify). */
    public int[] index0() {
        return index0;
    }

    /** Source index i1 = min(i0 + 1, in - 1) for each output index (shared). */
    public int[] index1() {
        return index1;
    }

    /** Weight of i0, 1 - w1 (shared). */
    public float[] weight0() {
        return weight0;
    }

    /** Weight of i1, the fractional part of the source coordinate (shared). */
    public float[] weight1() {
        return weight1;
    }

    /**
     * Resizes one in x in plane at src[srcOff..] into an out x out plane at dst[dstOff..], then applies
     * {@code v -> (v - mean) / std}. tmp needs in * out floats.
     */
    public void resizePlane(float[] src, int srcOff, float[] tmp, float[] dst, int dstOff, float mean, float std) {
        for (int r = 0; r < in; r++) {
            int row = srcOff + r * in;
            int t = r * out;
            for (int x = 0; x < out; x++) {
                tmp[t + x] = weight0[x] * src[row + index0[x]] + weight1[x] * src[row + index1[x]];
            }
        }
        for (int y = 0; y < out; y++) {
            int a = index0[y] * out;
            int b = index1[y] * out;
            float wa = weight0[y];
            float wb = weight1[y];
            int o = dstOff + y * out;
            for (int x = 0; x < out; x++) {
                dst[o + x] = (wa * tmp[a + x] + wb * tmp[b + x] - mean) / std;
            }
        }
    }
}
