package org.alexnetcuda.engine;

import org.alexnetcuda.tensor.ParameterStore;

/**
 * Adam's state, as a checkpoint stores it: the step count t and the two moment arrays, each laid out like
 * {@link ParameterStore#values} (parameter p's moments at p.offset()), and under fp16 the loss scale. Before the
 * first step the moments are zeros, which is exactly what the first step would start from, so a state read at step
 * 0 restores a fresh optimizer.
 *
 * @param step      Adam steps taken (PyTorch's state['step']): the training steps, less those fp16 skipped
 * @param m         first moments (PyTorch's exp_avg)
 * @param v         second moments (PyTorch's exp_avg_sq)
 * @param lossScale the dynamic loss scale of fp16 training; null for the other precisions
 */
public record OptimizerState(long step, float[] m, float[] v, LossScale lossScale) {
    public OptimizerState {
        if (step < 0 || m.length != v.length) {
            throw new IllegalArgumentException("bad optimizer state: step " + step + ", " + m.length + " vs " + v.length + " moments");
        }
    }

    public OptimizerState(long step, float[] m, float[] v) {
        this(step, m, v, null);
    }

    /**
     * torch.cuda.amp.GradScaler's state: the scale, the steps since it last changed without an overflow, and the
     * steps skipped because a gradient was not finite (counted over the whole run).
     */
    public record LossScale(float scale, int goodSteps, long skippedSteps) {
        public LossScale {
            if (!(scale > 0 && scale < Float.POSITIVE_INFINITY) || goodSteps < 0 || skippedSteps < 0) {
                throw new IllegalArgumentException("bad loss scale: " + scale + ", " + goodSteps + " good steps, "
                        + skippedSteps + " skipped");
            }
        }
    }

    /** Training steps taken: Adam's plus the skipped ones. */
    public long trainingSteps() {
        return step + (lossScale == null ? 0 : lossScale.skippedSteps());
    }

    /** The state of an optimizer that has not stepped yet, for a model of n parameters. */
    public static OptimizerState fresh(int n) {
        return new OptimizerState(0, new float[n], new float[n]);
    }
}
