package org.alexnetcuda.math;

import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * Max pooling over k x k windows with stride s, as PyTorch's {@code nn.MaxPool2d(k, s)}: no padding, floor mode,
 * so the output is floor((H - k) / s) + 1 by floor((W - k) / s) + 1 (AlexNet: k = 3, s = 2, overlapping windows).
 *
 * <p>y[n,c,i,j] = max over (u, v) in [0, k)^2 of x[n,c, i*s + u, j*s + v].
 *
 * <p>Backward routes dy[n,c,i,j] to the argmax of its window; overlapping windows can share an argmax, so dx holds
 * the sum of the dy routed to each position (and zero where none is). <b>Tie rule</b>, which the GPU backward must
 * mirror: the window is scanned in row-major order (u outer, v inner) and the argmax moves only on a strictly greater
 * value, so the FIRST maximum wins, as in PyTorch's CPU kernel. A NaN, as in PyTorch, always takes the argmax (the
 * last NaN of the window wins) so that NaN propagates to y.
 *
 * <p>No state is kept: backward rescans x for the argmax. Work is split over the N*C planes.
 */
public final class MaxPoolMath {
    private final String name;
    private final int kernel;
    private final int stride;

    public MaxPoolMath(String name, int kernel, int stride) {
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException(name + ": kernel and stride must be positive, got " + kernel + ", " + stride);
        }
        this.name = name;
        this.kernel = kernel;
        this.stride = stride;
    }

    public String name() {
        return name;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public Shape outputShape(Shape in) {
        if (in.h() < kernel || in.w() < kernel) {
            throw new IllegalArgumentException(name + ": input " + in + " is smaller than the " + kernel + "x" + kernel + " window");
        }
        return new Shape(in.n(), in.c(), (in.h() - kernel) / stride + 1, (in.w() - kernel) / stride + 1);
    }

    public void forward(Tensor x, Tensor y) {
        Shape out = checkShapes(x, y);
        int inPlane = x.shape.h() * x.shape.w();
        int outPlane = out.h() * out.w();
        Parallel.forEach(out.n() * out.c(), plane -> {
            int xBase = plane * inPlane;
            int yi = plane * outPlane;
            for (int i = 0; i < out.h(); i++) {
                for (int j = 0; j < out.w(); j++) {
                    y.data[yi++] = x.data[argmax(x, xBase, i, j)];
                }
            }
        });
    }

    public void backward(Tensor x, Tensor y, Tensor dy, Tensor dx) {
        if (dx == null) {
            return;
        }
        Shape out = checkShapes(x, y);
        if (!dy.shape.equals(out) || !dx.shape.equals(x.shape)) {
            throw new IllegalArgumentException(name + ": dy " + dy.shape + " / dx " + dx.shape + " do not match " + out + " / " + x.shape);
        }
        int inPlane = x.shape.h() * x.shape.w();
        int outPlane = out.h() * out.w();
        Parallel.forEach(out.n() * out.c(), plane -> {
            int xBase = plane * inPlane;
            java.util.Arrays.fill(dx.data, xBase, xBase + inPlane, 0f);
            int yi = plane * outPlane;
            for (int i = 0; i < out.h(); i++) {
                for (int j = 0; j < out.w(); j++) {
                    dx.data[argmax(x, xBase, i, j)] += dy.data[yi++];
                }
            }
        });
    }

    /** Flat index in x of the maximum of window (i, j) of the plane starting at xBase; first maximum wins. */
    private int argmax(Tensor x, int xBase, int i, int j) {
        int width = x.shape.w();
        int first = xBase + i * stride * width + j * stride;
        int best = first;
        float max = x.data[first];
        for (int u = 0; u < kernel; u++) {
            int row = first + u * width;
            for (int v = 0; v < kernel; v++) {
                float val = x.data[row + v];
                if (val > max || Float.isNaN(val)) {
                    max = val;
                    best = row + v;
                }
            }
        }
        return best;
    }

    private Shape checkShapes(Tensor x, Tensor y) {
        Shape out = outputShape(x.shape);
        if (!y.shape.equals(out)) {
            throw new IllegalArgumentException(name + ": output " + y.shape + " should be " + out + " for input " + x.shape);
        }
        return out;
    }
}
