package org.alexnetcuda.math;

import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * Cross-channel local response normalisation with the exact semantics of PyTorch's
 * {@code nn.LocalResponseNorm(size, alpha, beta, k)} (AlexNet: size 5, alpha 1e-4, beta 0.75, k 2):
 * <pre>
 *   s_c = k + alpha / size * sum_{c' in W(c)} a_{c'}^2
 *   b_c = a_c * s_c^-beta
 *   W(c) = [c - floor(size/2), c + floor((size-1)/2)]  intersected with [0, C)
 * </pre>
 * at every (n, h, w). PyTorch pads the squared input with floor(size/2) zero channels before and floor((size-1)/2)
 * after and average-pools size channels, so the window is centred for odd sizes and reaches one channel further
 * back than forward for even sizes; the divisor is always size, also where the window is cut at the edges.
 *
 * <p>Backward (b = y is read, s is recomputed from x):
 * <pre>
 *   dx_c = dy_c * s_c^-beta  -  2 * beta * alpha / size * a_c * sum_{j in J(c)} dy_j * b_j / s_j
 *   J(c) = {j : c in W(j)} = [c - floor((size-1)/2), c + floor(size/2)]  intersected with [0, C)
 * </pre>
 * (from db_j/da_c = [j == c] s_j^-beta - 2 beta alpha/size a_c a_j s_j^(-beta-1) [c in W(j)]).
 *
 * <p>Sums and powers run in double, results are rounded to float. Work is split over the N*H image rows; each row
 * task handles all channels of W pixels, so the channel window is local to the task.
 */
public final class LrnMath {
    private final String name;
    private final int size;
    private final double alpha;
    private final double beta;
    private final double k;

    public LrnMath(String name, int size, double alpha, double beta, double k) {
        if (size < 1) {
            throw new IllegalArgumentException(name + ": LRN size must be positive, got " + size);
        }
        if (!(k > 0) || !(alpha >= 0) || !(beta >= 0)) {
            throw new IllegalArgumentException(name + ": LRN needs k > 0, alpha >= 0, beta >= 0; got k=" + k + " alpha=" + alpha + " beta=" + beta);
        }
        this.name = name;
        this.size = size;
        this.alpha = alpha;
        this.beta = beta;
        this.k = k;
    }

    public String name() {
        return name;
    }

    public Shape outputShape(Shape input) {
        return input;
    }

    public void forward(Tensor x, Tensor y) {
        requireShape(y, x.shape, "y");
        Shape s = x.shape;
        int channels = s.c();
        int width = s.w();
        int plane = s.h() * width;
        Parallel.forRange(s.n() * s.h(), (from, to) -> {
            double[] scale = new double[channels * width];
            for (int row = from; row < to; row++) {
                int base = rowBase(s, row);
                computeS(x.data, base, channels, width, plane, scale);
                for (int c = 0; c < channels; c++) {
                    for (int w = 0; w < width; w++) {
                        int i = base + c * plane + w;
                        y.data[i] = (float) (x.data[i] * Math.pow(scale[c * width + w], -beta));
                    }
                }
            }
        });
    }

    public void backward(Tensor x, Tensor y, Tensor dy, Tensor dx) {
        if (dx == null) {
            return;
        }
        requireShape(y, x.shape, "y");
        requireShape(dy, x.shape, "dy");
        requireShape(dx, x.shape, "dx");
        Shape s = x.shape;
        int channels = s.c();
        int width = s.w();
        int plane = s.h() * width;
        int back = (size - 1) / 2; // J(c) = [c - back, c + ahead]
        int ahead = size / 2;
        double coef = 2 * beta * alpha / size;
        Parallel.forRange(s.n() * s.h(), (from, to) -> {
            double[] scale = new double[channels * width];
            double[] ratio = new double[channels * width]; // dy_j * b_j / s_j
            double[] sum = new double[width];
            for (int row = from; row < to; row++) {
                int base = rowBase(s, row);
                computeS(x.data, base, channels, width, plane, scale);
                for (int c = 0; c < channels; c++) {
                    for (int w = 0; w < width; w++) {
                        int i = base + c * plane + w;
                        ratio[c * width + w] = (double) dy.data[i] * y.data[i] / scale[c * width + w];
                    }
                }
                for (int c = 0; c < channels; c++) {
                    int jFrom = Math.max(0, c - back);
                    int jTo = Math.min(channels - 1, c + ahead);
                    java.util.Arrays.fill(sum, 0);
                    for (int j = jFrom; j <= jTo; j++) {
                        for (int w = 0; w < width; w++) {
                            sum[w] += ratio[j * width + w];
                        }
                    }
                    for (int w = 0; w < width; w++) {
                        int i = base + c * plane + w;
                        double direct = dy.data[i] * Math.pow(scale[c * width + w], -beta);
                        dx.data[i] = (float) (direct - coef * x.data[i] * sum[w]);
                    }
                }
            }
        });
    }

    /** First element of image row (n, h) in channel 0, for row = n * H + h. */
    private static int rowBase(Shape s, int row) {
        int n = row / s.h();
        int h = row % s.h();
        return (n * s.c() * s.h() + h) * s.w();
    }

    /** scale[c * width + w] = s_c at pixel w of the row starting at base: k + alpha/size * windowed sum of squares. */
    private void computeS(float[] x, int base, int channels, int width, int plane, double[] scale) {
        int before = size / 2; // W(c) = [c - before, c + after]
        int after = (size - 1) / 2;
        double a = alpha / size;
        for (int c = 0; c < channels; c++) {
            int off = c * width;
            java.util.Arrays.fill(scale, off, off + width, 0);
            for (int cc = Math.max(0, c - before); cc <= Math.min(channels - 1, c + after); cc++) {
                int xb = base + cc * plane;
                for (int w = 0; w < width; w++) {
                    double v = x[xb + w];
                    scale[off + w] += v * v;
                }
            }
            for (int w = 0; w < width; w++) {
                scale[off + w] = k + a * scale[off + w];
            }
        }
    }

    private void requireShape(Tensor t, Shape expected, String what) {
        if (!t.shape.equals(expected)) {
            throw new IllegalArgumentException(name + ": " + what + " " + t.shape + " should be " + expected);
        }
    }
}
