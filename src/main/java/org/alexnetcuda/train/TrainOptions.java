package org.alexnetcuda.train;

/**
 * Options of the training loop itself (the engine has its own).
 *
 * @param epochs    epochs to train (the notebook: 10)
 * @param batchSize images per step (64)
 * @param shuffle   a new permutation of the training set each epoch; false keeps file order
 * @param seed      seeds the permutations
 */
public record TrainOptions(int epochs, int batchSize, boolean shuffle, long seed) {
    public TrainOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1 (got " + epochs + ")");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1 (got " + batchSize + ")");
        }
    }
}
