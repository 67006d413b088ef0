package org.alexnetcuda.engine.cpu;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.Parallel;
import org.alexnetcuda.math.ReluMath;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * y = max(x, 0) elementwise; backward dx = dy where y > 0, else 0 (the subgradient at 0 is 0, as in PyTorch): the CPU
 * engine's layer over {@link ReluMath}, the element arithmetic that the GPU kernel's reference shares.
 *
 * <p>Backward reads only y, never x, so the layer works in place: x and y may be the same tensor (the engine can
 * then skip an activation buffer), and dy and dx may be the same tensor too. NaN propagates to y, as in PyTorch;
 * its gradient is 0.
 */
public final class Relu implements CpuLayer {
    private final String name;

    public Relu(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public void forward(Tensor x, Tensor y, Pass pass) {
        requireSame(x.shape, y.shape, "y");
        float[] in = x.data;
        float[] out = y.data;
        Parallel.forRange(in.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = ReluMath.value(in[i]);
            }
        });
    }

    @Override
    public void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Pass pass) {
        if (dx == null) {
            return;
        }
        requireSame(y.shape, dy.shape, "dy");
        requireSame(y.shape, dx.shape, "dx");
        float[] out = y.data;
        float[] g = dy.data;
        float[] d = dx.data;
        Parallel.forRange(out.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                d[i] = ReluMath.gradient(out[i], g[i]);
            }
        });
    }

    private void requireSame(Shape expected, Shape actual, String what) {
        if (!expected.equals(actual)) {
            throw new IllegalArgumentException(name + ": " + what + " " + actual + " should be " + expected);
        }
    }
}
