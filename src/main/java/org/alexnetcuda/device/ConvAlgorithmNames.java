package org.alexnetcuda.device;

import org.alexnetcuda.device.Dnn.ConvPass;

/**
 * The names of cuDNN's convolution algorithm numbers (cudnnConvolutionFwdAlgo_t, cudnnConvolutionBwdDataAlgo_t,
 * cudnnConvolutionBwdFilterAlgo_t, without their common prefixes), unchanged from cuDNN 7 to 9, so that reports say
 * which algorithm a layer runs: "WINOGRAD_NONFUSED" rather than 7.
 */
public final class ConvAlgorithmNames {
    private static final String[] FORWARD = {"IMPLICIT_GEMM", "IMPLICIT_PRECOMP_GEMM", "GEMM", "DIRECT", "FFT",
        "FFT_TILING", "WINOGRAD", "WINOGRAD_NONFUSED"};
    private static final String[] BACKWARD_DATA = {"ALGO_0", "ALGO_1", "FFT", "FFT_TILING", "WINOGRAD",
        "WINOGRAD_NONFUSED"};
    private static final String[] BACKWARD_FILTER = {"ALGO_0", "ALGO_1", "FFT", "ALGO_3", "WINOGRAD",
        "WINOGRAD_NONFUSED", "FFT_TILING"};

    private ConvAlgorithmNames() {
    }

    /** The enum constant's name, or "ALGO_n?" for a number outside the enum. */
    public static String of(ConvPass pass, int algo) {
        String[] names = switch (pass) {
            case FORWARD -> FORWARD;
            case BACKWARD_DATA -> BACKWARD_DATA;
            case BACKWARD_FILTER -> BACKWARD_FILTER;
        };
        return algo >= 0 && algo < names.length ? names[algo] : "ALGO_" + algo + "?";
    }
}
