package org.alexnetcuda.train;

/**
 * What a run does around the training loop (checkpoints, metrics files, interruption), kept out of
 * {@link Trainer} so the loop stays the notebook's loop.
 */
public interface TrainHooks {
    /** No checkpoints, never stops early. */
    TrainHooks NONE = new TrainHooks() {
    };

    /** After each training step whose loss was finite; {@code next} is where training would continue. */
    default void afterStep(TrainPosition next) {
    }

    /** After an epoch's evaluation and its line; {@code next} is the start of the following epoch. */
    default void afterEpoch(EpochMetrics metrics, TrainPosition next) {
    }

    /** Asked before every training step and evaluation batch. */
    default boolean stopRequested() {
        return false;
    }

    /**
     * Called instead of the next step or evaluation batch once {@link #stopRequested} said yes; {@code at} is where
     * a resumed run continues. It should save what is needed and throw; if it returns, the loop stops anyway.
     */
    default void stop(TrainPosition at) {
    }
}
