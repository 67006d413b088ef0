package org.alexnetcuda.engine.cpu;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.DropoutMath;
import org.alexnetcuda.math.Parallel;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * Inverted dropout, as PyTorch's {@code nn.Dropout(p)}: in training each element is kept with probability 1 - p and
 * scaled so that the expectation is unchanged; in evaluation the layer is the identity.
 *
 * <pre>
 *   training:  y_i = keep_i ? x_i * scale : 0      scale = 1f / (1f - p), computed in float
 *   backward:  dx_i = keep_i ? dy_i * scale : 0
 *   eval:      y = x, dx = dy
 * </pre>
 * Dropped elements are set to 0 (not x * 0). p = 0 is the identity in training too.
 *
 * <p>The default mask, which the GPU kernel reproduces bit for bit, is a pure function of (seed, layer, step, index),
 * computed by {@link DropoutMath} (the element arithmetic the GPU kernel's reference shares):
 * <pre>
 *   key    = seed ^ (layerIndex * 0x9E3779B97F4A7C15L)      64-bit wrap-around product, then XOR
 *   keep_i = CounterRng.uniform(key, pass.step(), i) >= p   float comparison, i = flat index in the batch tensor
 * </pre>
 * Multiplying by the odd constant (2^64 / golden ratio) is a bijection on 64-bit words, so different layers get
 * different Philox keys, hence unrelated streams, even for layer indices that differ in one bit. Since no mask is
 * stored, backward recomputes it from the same pass; forward and backward must be called with the same step.
 * The keep probability is 1 - p up to the 2^-24 resolution of the uniform.
 *
 * <p>Backward reads neither x nor y, and every element depends only on its own index, so x and y may be the same
 * tensor, and so may dy and dx.
 */
public final class Dropout implements CpuLayer {
    private final String name;
    private final float p;
    private final float scale;
    private final DropoutMask mask;

    /** Dropout with the Philox mask of {@link #philoxMask}. */
    public Dropout(String name, float p, long seed, int layerIndex) {
        this(name, p, philoxMask(checkP(name, p), seed, layerIndex));
    }

    /** Dropout with an explicit mask source (kept elements are still scaled by 1 / (1 - p)). */
    public Dropout(String name, float p, DropoutMask mask) {
        this.name = name;
        this.p = checkP(name, p);
        this.scale = DropoutMath.scale(p);
        this.mask = java.util.Objects.requireNonNull(mask, "mask");
    }

    /** keep(step, i) = DropoutMath.philoxKeep(DropoutMath.layerKey(seed, layerIndex), step, i, p). */
    public static DropoutMask philoxMask(float p, long seed, int layerIndex) {
        long key = DropoutMath.layerKey(seed, layerIndex);
        return (step, index) -> DropoutMath.philoxKeep(key, step, index, p);
    }

    private static float checkP(String name, float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException(name + ": dropout probability must be in [0, 1), got " + p);
        }
        return p;
    }

    @Override
    public String name() {
        return name;
    }

    public float p() {
        return p;
    }

    /** The factor applied to kept elements: 1f / (1f - p). */
    public float scale() {
        return scale;
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public void forward(Tensor x, Tensor y, Pass pass) {
        apply(x, y, pass, "y");
    }

    @Override
    public void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Pass pass) {
        if (dx != null) {
            apply(dy, dx, pass, "dx");
        }
    }

    /** out = in * mask * scale in training (p > 0), out = in otherwise; the same map serves forward and backward. */
    private void apply(Tensor in, Tensor out, Pass pass, String what) {
        if (!in.shape.equals(out.shape)) {
            throw new IllegalArgumentException(name + ": " + what + " " + out.shape + " should be " + in.shape);
        }
        float[] a = in.data;
        float[] b = out.data;
        if (!pass.training() || p == 0f) {
            if (a != b) {
                System.arraycopy(a, 0, b, 0, a.length);
            }
            return;
        }
        long step = pass.step();
        Parallel.forRange(a.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                b[i] = DropoutMath.masked(a[i], mask.keep(step, i), scale);
            }
        });
    }
}
