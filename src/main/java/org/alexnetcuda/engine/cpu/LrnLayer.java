package org.alexnetcuda.engine.cpu;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.LrnMath;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * Cross-channel local response normalisation, as PyTorch's {@code nn.LocalResponseNorm(size, alpha, beta, k)}: the
 * CPU engine's layer over {@link LrnMath}, which holds the arithmetic that the device simulator's cuDNN LRN shares.
 * The pass does not matter: LRN is the same in training and evaluation.
 */
public final class LrnLayer implements CpuLayer {
    private final LrnMath math;

    public LrnLayer(String name, int size, double alpha, double beta, double k) {
        this.math = new LrnMath(name, size, alpha, beta, k);
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
        math.forward(x, y);
    }

    @Override
    public void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Pass pass) {
        math.backward(x, y, dy, dx);
    }
}
