package org.alexnetcuda.model;

/**
 * The options that define the network: everything that changes its shapes or its function.
 *
 * @param inputSize  side of the square input image (227 in the notebook)
 * @param numClasses outputs of the last layer (10 for CIFAR-10)
 * @param lrn        where LRN layers go
 * @param dropout    dropout probability of fc6 and fc7 (0.5)
 */
public record ModelConfig(int inputSize, int numClasses, LrnPlacement lrn, float dropout) {

    /** LRN hyper-parameters of the paper: size 5, alpha 1e-4, beta 0.75, k 2. */
    public static final int LRN_SIZE = 5;
    public static final double LRN_ALPHA = 1e-4;
    public static final double LRN_BETA = 0.75;
    public static final double LRN_K = 2.0;

    public static final ModelConfig NOTEBOOK = new ModelConfig(227, 10, LrnPlacement.CONV2, 0.5f);

    public ModelConfig {
        if (numClasses < 2) {
            throw new IllegalArgumentException("--classes must be at least 2 (got " + numClasses + ")");
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("--dropout must be in [0, 1) (got " + dropout + ")");
        }
        if (inputSize < 1) {
            throw new IllegalArgumentException("--input-size must be positive (got " + inputSize + ")");
        }
    }
}
