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

    /** cudnnMathType_t values (unchanged from cuDNN 8 to 9). */
    public static final int DEFAULT_MATH = 0;
    public static final int TENSOR_OP_MATH = 1;
    public static final int TENSOR_OP_MATH_ALLOW_CONVERSION = 2;
    public static final int FMA_MATH = 3;
    private static final String[] MATH = {"DEFAULT_MATH", "TENSOR_OP_MATH", "TENSOR_OP_MATH_ALLOW_CONVERSION",
        "FMA_MATH"};

    private ConvAlgorithmNames() {
    }

    /** The name of a cudnnMathType_t value, "not reported" for {@link Dnn.AlgoPerf#MATH_NOT_REPORTED}. */
    public static String mathType(int math) {
        if (math == Dnn.AlgoPerf.MATH_NOT_REPORTED) {
            return "not reported";
        }
        return math >= 0 && math < MATH.length ? MATH[math] : "MATH_" + math + "?";
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
