package org.alexnetcuda.engine.cpu;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.Gemm;
import org.alexnetcuda.math.Parallel;
import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * A fully connected layer as PyTorch's nn.Linear computes it, weight [out, in], bias [out]:
 * <pre>
 *   forward    y[N, out]  = x[N, in] . W^T + b
 *   backward   dW[out, in] += dY^T . x
 *              db[out]     += column sums of dY
 *              dx[N, in]    = dY . W
 * </pre>
 * The input may be any (N, C, H, W) with C*H*W == in: NCHW row-major already is PyTorch's flatten, so flattening
 * costs nothing. Each product runs as {@link Gemm} calls on disjoint column (or row) ranges of the result, one range
 * per task, so threads never write the same element.
 */
public final class Linear implements CpuLayer {
    /** Narrowest column range worth a task of its own: below this the per-call packing dominates. */
    private static final int MIN_SPLIT = 64;

    private final String name;
    private final int inFeatures;
    private final int outFeatures;
    private final ParameterStore store;
    private final int weightOffset;
    private final int biasOffset;

    public Linear(String name, int inFeatures, int outFeatures, ParameterStore store, Parameter weight, Parameter bias) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException(name + ": bad linear in=" + inFeatures + " out=" + outFeatures);
        }
        Conv2d.requireDims(name, weight, new int[] {outFeatures, inFeatures}, store);
        Conv2d.requireDims(name, bias, new int[] {outFeatures}, store);
        this.name = name;
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.store = store;
        this.weightOffset = weight.offset();
        this.biasOffset = bias.offset();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.sampleSize() != inFeatures) {
            throw new IllegalArgumentException(name + ": input " + input + " has " + input.sampleSize()
                    + " features per sample (C*H*W), expected " + inFeatures);
        }
        return Shape.vector(input.n(), outFeatures);
    }

    @Override
    public void forward(Tensor x, Tensor y, Pass pass) {
        Shape out = outputShape(x.shape);
        requireShape("y", y, out);
        int n = x.shape.n();
        float[] w = store.values;
        split(outFeatures, (from, to) -> {
            for (int i = 0; i < n; i++) {
                System.arraycopy(w, biasOffset + from, y.data, i * outFeatures + from, to - from);
            }
            // y[:, from..to) = x . W[from..to, :]^T + y   (y holds the bias)
            Gemm.sgemm(false, true, n, to - from, inFeatures, 1f, x.data, 0, inFeatures,
                    w, weightOffset + from * inFeatures, inFeatures, 1f, y.data, from, outFeatures);
        });
    }

    @Override
    public void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Pass pass) {
        Shape out = outputShape(x.shape);
        requireShape("y", y, out);
        requireShape("dy", dy, out);
        if (dx != null) {
            requireShape("dx", dx, x.shape);
        }
        int n = x.shape.n();
        float[] w = store.values;
        float[] grads = store.grads;
        // dW[from..to, :] += dY[:, from..to]^T . x, and db over the same rows: disjoint rows per task.
        split(outFeatures, (from, to) -> {
            Gemm.sgemm(true, false, to - from, inFeatures, n, 1f, dy.data, from, outFeatures, x.data, 0, inFeatures,
                    1f, grads, weightOffset + from * inFeatures, inFeatures);
            for (int o = from; o < to; o++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += dy.data[i * outFeatures + o];
                }
                grads[biasOffset + o] += (float) sum;
            }
        });
        if (dx != null) {
            // dx[:, from..to) = dY . W[:, from..to)
            split(inFeatures, (from, to) -> Gemm.sgemm(false, false, n, to - from, outFeatures, 1f, dy.data, 0,
                    outFeatures, w, weightOffset + from, inFeatures, 0f, dx.data, from, inFeatures));
        }
    }

    /** Runs body over disjoint ranges covering [0, n): about two per thread, none narrower than MIN_SPLIT. */
    private static void split(int n, Parallel.RangeBody body) {
        int chunks = Math.max(1, Math.min(Parallel.threads() * 2, n / MIN_SPLIT));
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        Parallel.forEach(chunks, c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    private static void requireShape(String what, Tensor t, Shape expected) {
        if (!t.shape.equals(expected)) {
            throw new IllegalArgumentException(what + " has shape " + t.shape + ", expected " + expected);
        }
    }
}
