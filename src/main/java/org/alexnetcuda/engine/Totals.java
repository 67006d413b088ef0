package org.alexnetcuda.engine;

/**
 * Running totals of a training epoch and an evaluation pass.
 *
 * @param trainLossSum  sum over training batches of the batch's mean loss (Train Loss = trainLossSum / trainBatches)
 * @param trainBatches  training batches
 * @param trainSamples  training images
 * @param evalLossSum   sum over evaluated images of their cross-entropy (Test Loss = evalLossSum / evalSamples)
 * @param evalCorrect   evaluated images whose argmax is their label
 * @param evalSamples   evaluated images
 * @param confusion     [true class][predicted class] counts of the evaluated images
 */
public record Totals(double trainLossSum, long trainBatches, long trainSamples,
                     double evalLossSum, long evalCorrect, long evalSamples, long[][] confusion) {

    /** Training totals only (evaluation zero), as a checkpoint taken inside an epoch restores them. */
    public static Totals ofTraining(double trainLossSum, long trainBatches, long trainSamples, int classes) {
        return new Totals(trainLossSum, trainBatches, trainSamples, 0, 0, 0, new long[classes][classes]);
    }

    public double trainLoss() {
        return trainBatches == 0 ? Double.NaN : trainLossSum / trainBatches;
    }

    public double evalLoss() {
        return evalSamples == 0 ? Double.NaN : evalLossSum / evalSamples;
    }

    public double evalAccuracy() {
        return evalSamples == 0 ? Double.NaN : (double) evalCorrect / evalSamples;
    }

    /** Accuracy of each true class (NaN for a class with no samples). */
    public double[] perClassAccuracy() {
        double[] acc = new double[confusion.length];
        for (int c = 0; c < confusion.length; c++) {
            long total = 0;
            for (long v : confusion[c]) {
                total += v;
            }
            acc[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
        }
        return acc;
    }
}
