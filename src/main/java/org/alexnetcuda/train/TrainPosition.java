package org.alexnetcuda.train;

/**
 * Where training continues: batch {@code batch} (0-based) of epoch {@code epoch} (1-based). A batch equal to the
 * epoch's batch count means the epoch's training pass is done and its evaluation is still to run.
 */
public record TrainPosition(int epoch, int batch) {
    public TrainPosition {
        if (epoch < 1 || batch < 0) {
            throw new IllegalArgumentException("bad position: epoch " + epoch + ", batch " + batch);
        }
    }

    /** The start of a run. */
    public static final TrainPosition START = new TrainPosition(1, 0);

    /** Epochs finished (evaluated) before this position. */
    public int epochsCompleted() {
        return epoch - 1;
    }

    @Override
    public String toString() {
        return "epoch " + epoch + ", batch " + batch;
    }
}
