package org.alexnetcuda.device.sim;

import org.alexnetcuda.math.Conv2dMath;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * The three convolution passes of cuDNN, computed by {@link Conv2dMath} (im2col + Gemm, batch-parallel), the
 * arithmetic the CPU engine's Conv2d layer runs too. Conv2dMath computes a layer with a bias and accumulates both
 * gradients, so each call gives it a zero bias and zeroed gradient arrays of its own:
 * <ul>
 * <li>forward: Conv2dMath.forward, whose bias adds nothing;</li>
 * <li>backward filter: Conv2dMath.backward without dx, which accumulates dW (and db, unused) into zeroed arrays;</li>
 * <li>backward data: Conv2dMath.backward with dx. Conv2dMath always computes dW as well, from x, which
 * cudnnConvolutionBackwardData does not receive: a zero x of the right shape stands in, and the wasted dW product is
 * the price of reusing the reference implementation rather than a second copy of col2im.</li>
 * </ul>
 * Only square kernels with equal padding and strides fit Conv2dMath; SimDnn rejects the rest beforehand.
 */
final class ConvMath {
    private ConvMath() {
    }

    /** y = conv(x, w), a new tensor of n x k x ho x wo. */
    static Tensor forward(ConvGeometry g, Tensor x, float[] w) {
        Tensor y = new Tensor(outShape(g));
        conv(g).forward(x, y, w, 0, new float[g.k()], 0);
        return y;
    }

    /** dx = conv^T(dy, w), a new tensor of x's shape. */
    static Tensor backwardData(ConvGeometry g, float[] w, Tensor dy) {
        Shape in = new Shape(g.n(), g.c(), g.h(), g.w());
        Tensor dx = new Tensor(in);
        // Conv2dMath.backward reads x only for dW (discarded here) and y only for its shape: dy has y's shape.
        conv(g).backward(new Tensor(in), dy, dy, dx, w, 0, new float[g.filterCount()], 0, new float[g.k()], 0);
        return dx;
    }

    /** dW = corr(x, dy), k * c * r * s floats. */
    static float[] backwardFilter(ConvGeometry g, Tensor x, Tensor dy) {
        float[] dw = new float[g.filterCount()];
        // Conv2dMath.backward with dx == null does not read the weights; y is only shape-checked.
        conv(g).backward(x, dy, dy, null, null, 0, dw, 0, new float[g.k()], 0);
        return dw;
    }

    private static Shape outShape(ConvGeometry g) {
        return new Shape(g.n(), g.k(), g.ho(), g.wo());
    }

    private static Conv2dMath conv(ConvGeometry g) {
        return new Conv2dMath("simulated cuDNN convolution", g.c(), g.k(), g.r(), g.strideH(), g.padH());
    }
}
