package org.alexnetcuda.engine;

/**
 * Adam's state, as a checkpoint stores it: the step count t and the two moment arrays, each laid out like
 * {@link ParameterStore#values} (parameter p's moments at p.offset()). Before the first step the moments are zeros,
 * which is exactly what the first step would start from, so a state read at step 0 restores a fresh optimizer.
 *
 * @param step Adam steps taken (PyTorch's state['step'])
 * @param m    first moments (PyTorch's exp_avg)
 * @param v    second moments (PyTorch's exp_avg_sq)
 */
public record OptimizerState(long step, float[] m, float[] v) {
    public OptimizerState {
        if (step < 0 || m.length != v.length) {
            throw new IllegalArgumentException("bad optimizer state: step " + step + ", " + m.length + " vs " + v.length + " moments");
        }
    }

    /** The state of an optimizer that has not stepped yet, for a model of n parameters. */
    public static OptimizerState fresh(int n) {
        return new OptimizerState(0, new float[n], new float[n]);
    }
}
