package org.alexnetcuda.device.sim;

import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.device.Dnn.AlgoPerf;
import org.alexnetcuda.device.Dnn.ConvPass;

/**
 * The simulator's stand-in for cuDNN's algorithm heuristics: a fixed, plausible list per pass, with the algorithm
 * numbers of cuDNN's enums, so that an engine's algorithm choice and workspace planning run in CI. Every algorithm
 * computes the same thing here; what differs is the workspace each asks for and the estimated time, which orders
 * the list fastest first. The fastest needs a workspace (one sample's im2col matrix), the "GEMM" forward algorithm
 * the whole batch's, and one algorithm of each pass needs none. FFT is listed as not supported (status
 * {@link #NOT_SUPPORTED}, memory 0) so that callers meet a failed entry, as they do on a GPU.
 *
 * <p>Algorithm numbers inside the pass's enum but not listed are CUDNN_STATUS_NOT_SUPPORTED; numbers outside the
 * enum are CUDNN_STATUS_BAD_PARAM (see {@link SimDnn}).
 */
final class ConvAlgorithms {
    /** cuDNN 9's numeric CUDNN_STATUS_NOT_SUPPORTED (cuDNN 8 used 9); callers should only test AlgoPerf.ok(). */
    static final int NOT_SUPPORTED = 3000;

    // cudnnConvolutionFwdAlgo_t
    static final int FWD_IMPLICIT_GEMM = 0;
    static final int FWD_IMPLICIT_PRECOMP_GEMM = 1;
    static final int FWD_GEMM = 2;
    static final int FWD_FFT = 4;
    static final int FWD_COUNT = 8;
    // cudnnConvolutionBwdDataAlgo_t
    static final int BWD_DATA_0 = 0;
    static final int BWD_DATA_1 = 1;
    static final int BWD_DATA_FFT = 2;
    static final int BWD_DATA_COUNT = 6;
    // cudnnConvolutionBwdFilterAlgo_t
    static final int BWD_FILTER_0 = 0;
    static final int BWD_FILTER_1 = 1;
    static final int BWD_FILTER_FFT = 2;
    static final int BWD_FILTER_COUNT = 7;

    private ConvAlgorithms() {
    }

    /** How many algorithms the pass's cuDNN enum has: valid algo numbers are 0 .. count - 1. */
    static int count(ConvPass pass) {
        return switch (pass) {
            case FORWARD -> FWD_COUNT;
            case BACKWARD_DATA -> BWD_DATA_COUNT;
            case BACKWARD_FILTER -> BWD_FILTER_COUNT;
        };
    }

    /** The list cudnnGetConvolution*Algorithm_v7 would give: successful entries fastest first, then failures. */
    static List<AlgoPerf> list(ConvPass pass, ConvGeometry g) {
        long col = g.colBytesPerSample();
        List<AlgoPerf> list = new ArrayList<>();
        switch (pass) {
            case FORWARD -> {
                list.add(ok(g, FWD_IMPLICIT_PRECOMP_GEMM, col, 14e12, true));
                list.add(ok(g, FWD_GEMM, g.n() * col, 10e12, true));
                list.add(ok(g, FWD_IMPLICIT_GEMM, 0, 6e12, true));
                list.add(failed(FWD_FFT));
            }
            case BACKWARD_DATA -> {
                list.add(ok(g, BWD_DATA_1, col, 12e12, true));
                // cuDNN's algorithm 0 accumulates with atomics, hence not deterministic.
                list.add(ok(g, BWD_DATA_0, 0, 7e12, false));
                list.add(failed(BWD_DATA_FFT));
            }
            case BACKWARD_FILTER -> {
                list.add(ok(g, BWD_FILTER_1, col + g.filterBytes(), 11e12, true));
                list.add(ok(g, BWD_FILTER_0, 0, 6e12, false));
                list.add(failed(BWD_FILTER_FFT));
            }
        }
        return List.copyOf(list);
    }

    /** The entry of this algorithm, or null when the simulator does not list it. */
    static AlgoPerf find(ConvPass pass, ConvGeometry g, int algo) {
        for (AlgoPerf p : list(pass, g)) {
            if (p.algo() == algo) {
                return p;
            }
        }
        return null;
    }

    private static AlgoPerf ok(ConvGeometry g, int algo, long memory, double flopsPerSecond, boolean deterministic) {
        return new AlgoPerf(algo, 0, (float) (g.flops() / flopsPerSecond * 1e3), memory, deterministic);
    }

    private static AlgoPerf failed(int algo) {
        return new AlgoPerf(algo, NOT_SUPPORTED, -1f, 0, false);
    }
}
