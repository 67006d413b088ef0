package org.alexnetcuda.math;

import java.util.Arrays;

import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * 2-D convolution as PyTorch's nn.Conv2d computes it: cross-correlation with zero padding, square kernel k,
 * stride s, padding p, weight OIHW [out, in, k, k], bias [out]; output size floor((H + 2p - k) / s) + 1.
 *
 * <p>Per sample, with K = in * k * k rows and HW = Ho * Wo columns, im2col unfolds the input into
 * col[K, HW] (row (c, kh, kw), column (oh, ow) holds x[c, oh*s - p + kh, ow*s - p + kw], 0 in the padding), so
 * <pre>
 *   forward    Y[out, HW]  = W[out, K] . col + b
 *   backward   dW[out, K] += dY . col^T
 *              db[out]    += sum over HW of dY
 *              dcol[K, HW] = W^T . dY,   dX = col2im(dcol)   (the adjoint of im2col: scatter-add)
 * </pre>
 * all with {@link Gemm}. Samples run in parallel, each thread reusing one col buffer of its own. The weight
 * gradient is race-free: backward splits the batch into contiguous runs of samples (two per thread), each run
 * accumulates into its own partial dW and db, and the partials are summed into the gradient arrays at the end.
 *
 * <p>The weights and bias are read, and their gradients accumulated, at offsets into arrays the caller owns: the CPU
 * engine's Conv2d layer passes its parameter store's values and grads; the device simulator's cuDNN convolutions
 * pass the filter they were given and arrays of their own.
 */
public final class Conv2dMath {
    private final String name;
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int pad;
    /** Rows of col and columns of the weight matrix: in * k * k. */
    private final int patch;

    /** Per-thread im2col buffer, grown to the largest layer that thread has run (shared by all conv layers). */
    private static final ThreadLocal<float[][]> COL = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    public Conv2dMath(String name, int inChannels, int outChannels, int kernel, int stride, int pad) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException(name + ": bad conv in=" + inChannels + " out=" + outChannels
                    + " kernel=" + kernel + " stride=" + stride + " pad=" + pad);
        }
        this.name = name;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.patch = Math.multiplyExact(inChannels, kernel * kernel);
    }

    public String name() {
        return name;
    }

    /** (N, out, Ho, Wo) for an input (N, in, H, W); rejects a wrong channel count and an empty output. */
    public Shape outputShape(Shape input) {
        if (input.c() != inChannels) {
            throw new IllegalArgumentException(name + ": input " + input + " has " + input.c() + " channels, expected "
                    + inChannels);
        }
        int ho = outSize(input.h());
        int wo = outSize(input.w());
        if (ho < 1 || wo < 1) {
            throw new IllegalArgumentException(name + ": input " + input + " gives an empty output: a " + kernel + "x"
                    + kernel + " kernel with padding " + pad + " needs H + 2*pad and W + 2*pad >= " + kernel);
        }
        return new Shape(input.n(), outChannels, ho, wo);
    }

    /** floor((size + 2p - k) / s) + 1, or 0 when the kernel does not fit. */
    private int outSize(int size) {
        int span = size + 2 * pad - kernel;
        return span < 0 ? 0 : span / stride + 1;
    }

    /**
     * y = conv(x, W) + b, overwriting y. W is out x in x k x k floats of {@code w} from {@code weightOffset} (OIHW),
     * b is out floats of {@code b} from {@code biasOffset}.
     */
    public void forward(Tensor x, Tensor y, float[] w, int weightOffset, float[] b, int biasOffset) {
        Shape out = outputShape(x.shape);
        requireShape("y", y, out);
        Geometry g = new Geometry(x.shape, out);
        Parallel.forEach(x.shape.n(), s -> {
            float[] col = colBuffer(patch * g.hw);
            im2col(x.data, s * g.inSize, g, col);
            int yOff = s * g.outSize;
            for (int o = 0; o < outChannels; o++) {
                Arrays.fill(y.data, yOff + o * g.hw, yOff + (o + 1) * g.hw, b[biasOffset + o]);
            }
            // Y = W . col + Y (Y holds the bias)
            Gemm.sgemm(false, false, outChannels, g.hw, patch, 1f, w, weightOffset, patch, col, 0, g.hw,
                    1f, y.data, yOff, g.hw);
        });
    }

    /**
     * Given x, y = conv(x, W) + b (read for its shape only) and dL/dy: overwrites dx with dL/dx (skipped when dx is
     * null; W is then not read) and accumulates (+=) dL/dW into {@code dw} from {@code weightGradOffset} and dL/db
     * into {@code db} from {@code biasGradOffset}.
     */
    public void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, float[] w, int weightOffset, float[] dw,
                         int weightGradOffset, float[] db, int biasGradOffset) {
        Shape out = outputShape(x.shape);
        requireShape("y", y, out);
        requireShape("dy", dy, out);
        if (dx != null) {
            requireShape("dx", dx, x.shape);
        }
        Geometry g = new Geometry(x.shape, out);
        int n = x.shape.n();
        // Two runs of samples per thread: balance when a core is shared, at the price of one more partial dW each.
        int chunks = Math.min(n, 2 * Parallel.threads());
        float[][] dWParts = new float[chunks][];
        float[][] dbParts = new float[chunks][];
        Parallel.forEach(chunks, c -> {
            float[] pdW = new float[outChannels * patch];
            float[] pdb = new float[outChannels];
            float[] col = colBuffer(patch * g.hw);
            for (int s = (int) ((long) n * c / chunks); s < (int) ((long) n * (c + 1) / chunks); s++) {
                int dyOff = s * g.outSize;
                im2col(x.data, s * g.inSize, g, col);
                // dW += dY . col^T   (out x K, summing over HW)
                Gemm.sgemm(false, true, outChannels, patch, g.hw, 1f, dy.data, dyOff, g.hw, col, 0, g.hw,
                        1f, pdW, 0, patch);
                for (int o = 0; o < outChannels; o++) {
                    double sum = 0;
                    for (int j = dyOff + o * g.hw, end = j + g.hw; j < end; j++) {
                        sum += dy.data[j];
                    }
                    pdb[o] += (float) sum;
                }
                if (dx != null) {
                    // dcol = W^T . dY (K x HW, summing over out), written over col, then scattered into dx
                    Gemm.sgemm(true, false, patch, g.hw, outChannels, 1f, w, weightOffset, patch, dy.data, dyOff,
                            g.hw, 0f, col, 0, g.hw);
                    col2im(col, g, dx.data, s * g.inSize);
                }
            }
            dWParts[c] = pdW;
            dbParts[c] = pdb;
        });
        Parallel.forRange(outChannels * patch, (from, to) -> {
            for (int i = from; i < to; i++) {
                float sum = 0;
                for (float[] p : dWParts) {
                    sum += p[i];
                }
                dw[weightGradOffset + i] += sum;
            }
        });
        for (int o = 0; o < outChannels; o++) {
            float sum = 0;
            for (float[] p : dbParts) {
                sum += p[o];
            }
            db[biasGradOffset + o] += sum;
        }
    }

    private static void requireShape(String what, Tensor t, Shape expected) {
        if (!t.shape.equals(expected)) {
            throw new IllegalArgumentException(what + " has shape " + t.shape + ", expected " + expected);
        }
    }

    private static float[] colBuffer(int size) {
        float[][] holder = COL.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    /** Sizes of one sample's input and output. */
    private final class Geometry {
        final int h;
        final int w;
        final int ho;
        final int wo;
        final int hw;
        final int inSize;
        final int outSize;

        Geometry(Shape in, Shape out) {
            h = in.h();
            w = in.w();
            ho = out.h();
            wo = out.w();
            hw = ho * wo;
            inSize = in.sampleSize();
            outSize = out.sampleSize();
            if ((long) patch * hw > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + ": im2col buffer of " + patch + " x " + hw + " is too large");
            }
        }

        /** First ow whose input column ow*s - p + kw is >= 0. */
        int owFirst(int kw) {
            return Math.max(0, Math.floorDiv(pad - kw + stride - 1, stride));
        }

        /** One past the last ow whose input column ow*s - p + kw is < W (at least owFirst). */
        int owEnd(int kw) {
            return Math.max(owFirst(kw), Math.min(wo, Math.floorDiv(w - 1 + pad - kw, stride) + 1));
        }
    }

    /** col[(c*k + kh)*k + kw][oh*Wo + ow] = x[c][oh*s - p + kh][ow*s - p + kw], zero outside the input. */
    private void im2col(float[] x, int xOff, Geometry g, float[] col) {
        for (int c = 0; c < inChannels; c++) {
            for (int kh = 0; kh < kernel; kh++) {
                for (int kw = 0; kw < kernel; kw++) {
                    int row = ((c * kernel + kh) * kernel + kw) * g.hw;
                    int lo = g.owFirst(kw);
                    int hi = g.owEnd(kw);
                    for (int oh = 0; oh < g.ho; oh++) {
                        int d = row + oh * g.wo;
                        int ih = oh * stride - pad + kh;
                        if (ih < 0 || ih >= g.h) {
                            Arrays.fill(col, d, d + g.wo, 0f);
                            continue;
                        }
                        Arrays.fill(col, d, d + lo, 0f);
                        int src = xOff + (c * g.h + ih) * g.w + lo * stride - pad + kw;
                        if (stride == 1) {
                            System.arraycopy(x, src, col, d + lo, hi - lo);
                        } else {
                            for (int ow = lo; ow < hi; ow++) {
                                col[d + ow] = x[src + (ow - lo) * stride];
                            }
                        }
                        Arrays.fill(col, d + hi, d + g.wo, 0f);
                    }
                }
            }
        }
    }

    /** dx = col2im(dcol): zeroes dx's sample, then adds every dcol element into the input pixel it came from. */
    private void col2im(float[] dcol, Geometry g, float[] dx, int dxOff) {
        Arrays.fill(dx, dxOff, dxOff + g.inSize, 0f);
        for (int c = 0; c < inChannels; c++) {
            for (int kh = 0; kh < kernel; kh++) {
                for (int kw = 0; kw < kernel; kw++) {
                    int row = ((c * kernel + kh) * kernel + kw) * g.hw;
                    int lo = g.owFirst(kw);
                    int hi = g.owEnd(kw);
                    for (int oh = 0; oh < g.ho; oh++) {
                        int ih = oh * stride - pad + kh;
                        if (ih < 0 || ih >= g.h) {
                            continue;
                        }
                        int d = row + oh * g.wo;
                        int dst = dxOff + (c * g.h + ih) * g.w + lo * stride - pad + kw;
                        for (int ow = lo; ow < hi; ow++) {
                            dx[dst + (ow - lo) * stride] += dcol[d + ow];
                        }
                    }
                }
            }
        }
    }
}
