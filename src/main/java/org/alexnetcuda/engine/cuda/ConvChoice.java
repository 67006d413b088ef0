package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.ConvAlgorithmNames;
import org.alexnetcuda.device.Dnn.AlgoPerf;
import org.alexnetcuda.device.Dnn.ConvPass;

/**
 * What cuDNN's measured ranking chose for one convolution layer at one batch size: the algorithm of each pass
 * (numbers of cuDNN's enums) with the math type cuDNN timed it in, the math type the layer's descriptor runs every
 * pass in, and the largest workspace of the three. Reports print the names, so that a run shows whether what runs
 * is what was timed: cuDNN may time an algorithm in another math type than the descriptor's, and then the kernel
 * that runs is not the one that won the ranking. nsys shows the kernels themselves.
 */
public record ConvChoice(String layer, Pass forward, Pass backwardData, Pass backwardFilter, long workspaceBytes,
                         int descriptorMath) {
    /** The algorithm of a pass the layer never runs: backward data of the network's first layer. */
    public static final int NONE = -1;

    /** One pass's algorithm and the math type cuDNN timed it in ({@link AlgoPerf#MATH_NOT_REPORTED} if unknown). */
    public record Pass(int algo, int timedMath) {
        static final Pass NOT_RUN = new Pass(NONE, AlgoPerf.MATH_NOT_REPORTED);

        static Pass of(AlgoPerf chosen) {
            return chosen == null ? NOT_RUN : new Pass(chosen.algo(), chosen.mathType());
        }

        public boolean runs() {
            return algo != NONE;
        }
    }

    public String forwardName() {
        return ConvAlgorithmNames.of(ConvPass.FORWARD, forward.algo());
    }

    public String backwardDataName() {
        return backwardData.runs() ? ConvAlgorithmNames.of(ConvPass.BACKWARD_DATA, backwardData.algo())
                : "none (no input gradient)";
    }

    public String backwardFilterName() {
        return ConvAlgorithmNames.of(ConvPass.BACKWARD_FILTER, backwardFilter.algo());
    }

    public String descriptorMathName() {
        return ConvAlgorithmNames.mathType(descriptorMath);
    }

    /** The passes whose reported timed math type differs from the descriptor's: what runs is not what was timed. */
    public java.util.List<String> mathMismatches() {
        java.util.List<String> out = new java.util.ArrayList<>();
        check(out, "forward", forward);
        check(out, "backward data", backwardData);
        check(out, "backward filter", backwardFilter);
        return out;
    }

    private void check(java.util.List<String> out, String pass, Pass p) {
        if (p.runs() && p.timedMath() != AlgoPerf.MATH_NOT_REPORTED && p.timedMath() != descriptorMath) {
            out.add(pass + " timed in " + ConvAlgorithmNames.mathType(p.timedMath()));
        }
    }
}
