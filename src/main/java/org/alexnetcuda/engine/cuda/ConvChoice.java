package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.ConvAlgorithmNames;
import org.alexnetcuda.device.Dnn.ConvPass;

/**
 * What cuDNN's heuristics chose for one convolution layer at one batch size: the algorithm of each pass (numbers of
 * cuDNN's enums) and the largest workspace of the three. Reports print the names; nsys shows the kernels they run.
 */
public record ConvChoice(String layer, int forward, int backwardData, int backwardFilter, long workspaceBytes) {
    /** The algorithm of a pass the layer never runs: backward data of the network's first layer. */
    public static final int NONE = -1;

    public String forwardName() {
        return ConvAlgorithmNames.of(ConvPass.FORWARD, forward);
    }

    public String backwardDataName() {
        return backwardData == NONE ? "none (no input gradient)"
                : ConvAlgorithmNames.of(ConvPass.BACKWARD_DATA, backwardData);
    }

    public String backwardFilterName() {
        return ConvAlgorithmNames.of(ConvPass.BACKWARD_FILTER, backwardFilter);
    }
}
