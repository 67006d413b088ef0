package org.alexnetcuda.engine;

/**
 * What a forward or backward call needs to know about the step it belongs to.
 *
 * @param training true in training (dropout active), false in evaluation
 * @param step     the optimizer step this pass belongs to (0-based); dropout masks are a function of (seed, step, index)
 */
public record Pass(boolean training, long step) {
    public static final Pass EVAL = new Pass(false, 0);

    public static Pass train(long step) {
        return new Pass(true, step);
    }
}
