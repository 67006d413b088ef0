package org.alexnetcuda.engine.cpu;

import java.util.Arrays;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.Conv2dMath;
import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * 2-D convolution as PyTorch's nn.Conv2d computes it (square kernel k, stride s, padding p, weight OIHW
 * [out, in, k, k], bias [out]): the CPU engine's layer, which binds {@link Conv2dMath} (im2col + Gemm, the arithmetic
 * the device simulator's cuDNN convolutions share) to its weight and bias in a {@link ParameterStore}. Forward reads
 * the store's values; backward accumulates into its grads.
 */
public final class Conv2d implements CpuLayer {
    private final Conv2dMath math;
    private final ParameterStore store;
    private final int weightOffset;
    private final int biasOffset;

    public Conv2d(String name, int inChannels, int outChannels, int kernel, int stride, int pad,
                  ParameterStore store, Parameter weight, Parameter bias) {
        this.math = new Conv2dMath(name, inChannels, outChannels, kernel, stride, pad);
        requireDims(name, weight, new int[] {outChannels, inChannels, kernel, kernel}, store);
        requireDims(name, bias, new int[] {outChannels}, store);
        this.store = store;
        this.weightOffset = weight.offset();
        this.biasOffset = bias.offset();
    }

    static void requireDims(String layer, Parameter p, int[] dims, ParameterStore store) {
        if (!Arrays.equals(p.dims(), dims)) {
            throw new IllegalArgumentException(layer + ": parameter " + p.name() + " has shape " + p.dimsString()
                    + ", expected " + Arrays.toString(dims));
        }
        if (p.offset() < 0 || (long) p.offset() + p.size() > store.size()) {
            throw new IllegalArgumentException(layer + ": parameter " + p + " lies outside the store of " + store.size());
        }
    }

    @Override
    public String name() {
        return math.name();
    }

    @Override
    public Shape outputShape(Shape input) {
        return math.outputShape(input);
    }

    @Override
    public void forward(Tensor x, Tensor y, Pass pass) {
        math.forward(x, y, store.values, weightOffset, store.values, biasOffset);
    }

    @Override
    public void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Pass pass) {
        math.backward(x, y, dy, dx, store.values, weightOffset, store.grads, weightOffset, store.grads, biasOffset);
    }
}
