package org.alexnetcuda.engine.cpu;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.MaxPoolMath;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * Max pooling over k x k windows with stride s, as PyTorch's {@code nn.MaxPool2d(k, s)}: the CPU engine's layer
 * over {@link MaxPoolMath}, which holds the arithmetic (and its tie rule) that the device simulator's cuDNN pooling
 * shares. The pass does not matter: pooling is the same in training and evaluation.
 */
public final class MaxPool implements CpuLayer {
    private final MaxPoolMath math;

    public MaxPool(String name, int kernel, int stride) {
        this.math = new MaxPoolMath(name, kernel, stride);
    }

    @Override
    public String name() {
        return math.name();
    }

    public int kernel() {
        return math.kernel();
    }

    public int stride() {
        return math.stride();
    }

    @Override
    public Shape outputShape(Shape in) {
        return math.outputShape(in);
    }

    @Override
    public void forward(Tensor x, Tensor y, Pass pass) {
        math.forward(x, y);
    }

    @Override
    public void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Pass pass) {
        math.backward(x, y, dy, dx);
    }
}
