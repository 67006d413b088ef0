package org.alexnetcuda.device.sim;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.Conv2dMath;
import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * The three convolution passes of cuDNN, computed by the CPU engine's {@link Conv2dMath} (im2col + Gemm,
 * batch-parallel). Conv2dMath is a layer with its weights and bias in a ParameterStore, so each call wraps the filter
 * in a throwaway store with a zero bias:
 * <ul>
 * <li>forward: Conv2dMath.forward, whose bias adds nothing;</li>
 * <li>backward filter: Conv2dMath.backward without dx, which accumulates dW (and db, unused) into the store's
 * zeroed gradients;</li>
 * <li>backward data: Conv2dMath.backward with dx. Conv2dMath always computes dW as well, from x, which cudnnConvolution
 * BackwardData does not receive: a zero x of the right shape stands in, and the wasted dW product is the price of
 * reusing the reference implementation rather than a second copy of col2im.</li>
 * </ul>
 * Only square kernels with equal padding and strides fit Conv2dMath; SimDnn rejects the rest beforehand.
 */
final class ConvMath {
    private ConvMath() {
    }

    /** y = conv(x, w), a new tensor of n x k x ho x wo. */
    static Tensor forward(ConvGeometry g, Tensor x, float[] w) {
        Layer l = new Layer(g);
        System.arraycopy(w, 0, l.store.values, 0, w.length);
        Tensor y = new Tensor(outShape(g));
        l.conv.forward(x, y, Pass.EVAL);
        return y;
    }

    /** dx = conv^T(dy, w), a new tensor of x's shape. */
    static Tensor backwardData(ConvGeometry g, float[] w, Tensor dy) {
        Layer l = new Layer(g);
        System.arraycopy(w, 0, l.store.values, 0, w.length);
        Shape in = new Shape(g.n(), g.c(), g.h(), g.w());
        Tensor dx = new Tensor(in);
        // Conv2dMath.backward reads x only for dW (discarded here) and y only for its shape: dy has y's shape.
        l.conv.backward(new Tensor(in), dy, dy, dx, Pass.EVAL);
        return dx;
    }

    /** dW = corr(x, dy), k * c * r * s floats. */
    static float[] backwardFilter(ConvGeometry g, Tensor x, Tensor dy) {
        Layer l = new Layer(g);
        // Conv2dMath.backward with dx == null does not read the weights; y is only shape-checked.
        l.conv.backward(x, dy, dy, null, Pass.EVAL);
        float[] dw = new float[g.filterCount()];
        System.arraycopy(l.store.grads, 0, dw, 0, dw.length);
        return dw;
    }

    private static Shape outShape(ConvGeometry g) {
        return new Shape(g.n(), g.k(), g.ho(), g.wo());
    }

    /** A Conv2dMath over a fresh store: weights at 0 (values and zeroed grads), a zero bias after them. */
    private static final class Layer {
        final ParameterStore store;
        final Conv2dMath conv;

        Layer(ConvGeometry g) {
            ParameterStore.Builder b = new ParameterStore.Builder();
            Parameter weight = b.add("weight", g.k(), g.c(), g.r(), g.s());
            Parameter bias = b.add("bias", g.k());
            store = b.build();
            conv = new Conv2dMath("simulated cuDNN convolution", g.c(), g.k(), g.r(), g.strideH(), g.padH(), store,
                    weight, bias);
        }
    }
}
