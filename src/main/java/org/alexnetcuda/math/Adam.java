package org.alexnetcuda.math;

import org.alexnetcuda.tensor.ParameterStore;

/**
 * Adam as {@code torch.optim.Adam} (L2 weight decay added to the gradient, not AdamW's decoupled decay; no amsgrad),
 * over the whole contiguous parameter block of a {@link ParameterStore} in one pass.
 *
 * <p>Per step, with t counted from 1 and the scalars computed in double as PyTorch's Python code does:
 * <pre>
 *   bc1 = 1 - beta1^t          bc2 = 1 - beta2^t
 *   stepSize = lr / bc1        bc2Sqrt = sqrt(bc2)
 * </pre>
 * and per element in float, in the order of PyTorch 1.13's single-tensor CPU path (_single_tensor_adam), scalars
 * rounded to float where they meet tensors:
 * <pre>
 *   g     = fma(p, wd, grad)                  (only if wd != 0)   grad.add(param, alpha=wd)
 *   m     = fma(g, (1 - beta1), m * beta1)                        exp_avg.mul_(beta1).add_(g, alpha=1-beta1)
 *   v     = fma((1 - beta2) * g, g, v * beta2)                    exp_avg_sq.mul_(beta2).addcmul_(g, g, value=1-beta2)
 *   denom = sqrt(v) / bc2Sqrt + eps                               (exp_avg_sq.sqrt() / bc2Sqrt).add_(eps)
 *   p     = p + (-stepSize * m) / denom                           param.addcdiv_(m, denom, value=-stepSize)
 * </pre>
 * The fused multiply-adds are where PyTorch's AVX2 kernels (as built by GCC, which contracts a*b + c) use them;
 * with them this class reproduced torch 1.13's CPU results bit for bit in our checks. Mathematically this is the
 * textbook p -= lr * mHat / (sqrt(vHat) + eps) with mHat = m / bc1, vHat = v / bc2.
 *
 * <p>Hyperparameters are held as doubles, as PyTorch holds them (Python floats). The float constructor widens each
 * argument through its decimal string (0.9f becomes 0.9, not 0.89999997615814), so {@code new Adam(1e-3f, 0.9f,
 * 0.999f, 1e-8f, 0f)} is exactly {@code torch.optim.Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8)}.
 *
 * <p>State (for checkpoints): the step count t and the moment arrays m and v, laid out like the store's values;
 * they are created at the first step, or set by {@link #restore}.
 */
public final class Adam {
    private double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private float[] m;
    private float[] v;
    private long step;

    /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam() {
        this(1e-3, 0.9, 0.999, 1e-8, 0);
    }

    /** Float arguments, each widened through its decimal representation; see the class comment. */
    public Adam(float lr, float beta1, float beta2, float eps, float weightDecay) {
        this(decimal(lr), decimal(beta1), decimal(beta2), decimal(eps), decimal(weightDecay));
    }

    public Adam(double lr, double beta1, double beta2, double eps, double weightDecay) {
        if (!(lr >= 0) || !(eps >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam needs lr, eps, weight decay >= 0; got " + lr + ", " + eps + ", " + weightDecay);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1); got " + beta1 + ", " + beta2);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /**
     * The double a float literal meant: 0.9f -> 0.9. PyTorch holds the hyperparameters as Python doubles, so both
     * engines widen --lr this way (1e-3f widened as is would be 0.0010000000474974513).
     */
    public static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }

    /** One Adam step over all of store.values using store.grads (which it does not modify). */
    public void step(ParameterStore store) {
        int n = store.size();
        if (m == null) {
            m = new float[n];
            v = new float[n];
        } else if (m.length != n) {
            throw new IllegalStateException("Adam state has " + m.length + " elements, the store " + n);
        }
        step++;
        ElementUpdate u = new ElementUpdate((float) -stepSize(lr, beta1, step), bias2Sqrt(beta2, step),
                (float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2), (float) eps,
                (float) weightDecay, weightDecay != 0);
        float[] p = store.values;
        float[] grad = store.grads;
        float[] mm = m;
        float[] vv = v;
        Parallel.forRange(n, (from, to) -> u.apply(p, grad, mm, vv, from, to));
    }

    /** The step size of step t (counted from 1), in double: lr / (1 - beta1^t). */
    public static double stepSize(double lr, double beta1, long t) {
        return lr / (1 - Math.pow(beta1, t));
    }

    /** The second-moment bias correction of step t, computed in double and rounded once: (float) sqrt(1 - beta2^t). */
    public static float bias2Sqrt(double beta2, long t) {
        return (float) Math.sqrt(1 - Math.pow(beta2, t));
    }

    /**
     * The per-element update of one step with its scalars already rounded to float (see the class comment for the
     * formulas): the one definition that {@link #step} and the GPU kernel's reference
     * (org.alexnetcuda.kernels.reference.AdamReference) both run.
     *
     * @param negStepSize   (float) -stepSize
     * @param bias2Sqrt     {@link #bias2Sqrt}
     * @param oneMinusBeta1 (float) (1 - beta1) computed in double, as PyTorch rounds 1 - beta where it meets a tensor
     * @param decay         whether to add weight decay to the gradient: weightDecay != 0 as the caller holds it
     *                      (double here, float in the kernel)
     */
    public record ElementUpdate(float negStepSize, float bias2Sqrt, float beta1, float oneMinusBeta1, float beta2,
                                float oneMinusBeta2, float eps, float weightDecay, boolean decay) {

        /** Updates p, m and v at the elements [from, to), reading grad there. */
        public void apply(float[] p, float[] grad, float[] m, float[] v, int from, int to) {
            float negStep = negStepSize;
            float bc2Sqrt = bias2Sqrt;
            float b1 = beta1;
            float c1 = oneMinusBeta1;
            float b2 = beta2;
            float c2 = oneMinusBeta2;
            float e = eps;
            float wd = weightDecay;
            boolean withDecay = decay;
            for (int i = from; i < to; i++) {
                float g = withDecay ? Math.fma(p[i], wd, grad[i]) : grad[i];
                float mi = Math.fma(g, c1, m[i] * b1);
                float vi = Math.fma(c2 * g, g, v[i] * b2);
                m[i] = mi;
                v[i] = vi;
                float denom = (float) Math.sqrt(vi) / bc2Sqrt + e;
                p[i] = p[i] + (negStep * mi) / denom;
            }
        }
    }

    /** Steps taken so far (PyTorch's state['step']). */
    public long stepCount() {
        return step;
    }

    /** The live first-moment array (not a copy), or null before the first step or restore. */
    public float[] m() {
        return m;
    }

    /** The live second-moment array (not a copy), or null before the first step or restore. */
    public float[] v() {
        return v;
    }

    /** Restores a checkpointed state; m and v are copied and must have the same length. */
    public void restore(long stepCount, float[] m, float[] v) {
        if (stepCount < 0 || m.length != v.length) {
            throw new IllegalArgumentException("bad Adam state: step " + stepCount + ", " + m.length + " vs " + v.length + " moments");
        }
        this.step = stepCount;
        this.m = m.clone();
        this.v = v.clone();
    }

    public double lr() {
        return lr;
    }

    /** Sets the learning rate for the following steps (schedules); the moments are unaffected, as in PyTorch. */
    public void setLr(double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("lr must be >= 0, got " + lr);
        }
        this.lr = lr;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double eps() {
        return eps;
    }

    public double weightDecay() {
        return weightDecay;
    }
}
