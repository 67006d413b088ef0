package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.ConvAlgorithmNames;
import org.alexnetcuda.device.Dnn.ConvPass;

/**
 * What cuDNN's heuristics chose for one convolution layer at one batch size: the algorithm of each pass (numbers of
 * cuDNN's enums) and the largest workspace of the three. Reports print the names; nsys shows the kernels they run.
 */
public record ConvChoice(String layer, int forward, int backwardData, int backwardFilter, long workspaceBytes) {
    public String forwardName() {
        return ConvAlgorithmNames.of(ConvPass.FORWARD, forward);
    }

    public String backwardDataName() {
        return ConvAlgorithmNames.of(ConvPass.BACKWARD_DATA, backwardData);
    }

    public String backwardFilterName() {
        return ConvAlgorithmNames.of(ConvPass.BACKWARD_FILTER, backwardFilter);
    }
}
