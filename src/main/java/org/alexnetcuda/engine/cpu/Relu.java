package org.alexnetcuda.engine.cpu;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.Parallel;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * y = max(x, 0) elementwise; backward dx = dy where y > 0, else 0 (the subgradient at 0 is 0, as in PyTorch).
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

    /**
     * One element of the forward pass: x <= 0 ? 0 : x. NaN <= 0 is false, so NaN passes through; -0 becomes +0.
     * Shared with the reference of the GPU kernel (org.alexnetcuda.kernels.reference.ReluReference).
     */
    public static float value(float x) {
        return x <= 0f ? 0f : x;
    }

    /** One element of the backward pass from the forward output y: y > 0 ? dy : 0 (0 for a NaN y). */
    public static float gradient(float y, float dy) {
        return y > 0f ? dy : 0f;
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
                out[i] = value(in[i]);
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
                d[i] = gradient(out[i], g[i]);
            }
        });
    }

    private void requireSame(Shape expected, Shape actual, String what) {
        if (!expected.equals(actual)) {
            throw new IllegalArgumentException(name + ": " + what + " " + actual + " should be " + expected);
        }
    }
}
