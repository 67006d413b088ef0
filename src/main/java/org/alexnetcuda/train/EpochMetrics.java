package org.alexnetcuda.train;

/**
 * What one epoch produced, as the notebook prints it plus timing.
 *
 * @param trainLoss       mean of the per-batch mean losses of the epoch
 * @param testLoss        mean cross-entropy over all test images
 * @param testAccuracy    correct / total on the test set
 * @param seconds         wall time of the epoch, training and test pass
 * @param imagesPerSecond training images per second of the training pass
 */
public record EpochMetrics(int epoch, double trainLoss, double testLoss, double testAccuracy,
                           double seconds, double imagesPerSecond) {

    /** The notebook's line: {@code Epoch 1/10: Train Loss=..., Test Loss=..., Test Accuracy=...}. */
    public String notebookLine(int epochs) {
        return "Epoch " + epoch + "/" + epochs + ": Train Loss=" + trainLoss + ", Test Loss=" + testLoss
                + ", Test Accuracy=" + testAccuracy;
    }
}
