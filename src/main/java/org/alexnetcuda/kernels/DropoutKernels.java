package org.alexnetcuda.kernels;

import static org.alexnetcuda.kernels.ParamType.F32;
import static org.alexnetcuda.kernels.ParamType.I32;
import static org.alexnetcuda.kernels.ParamType.PTR;
import static org.alexnetcuda.kernels.ParamType.U64;

/**
 * Launchers for native-kernels/dropout.cu: inverted dropout whose mask is a pure function of
 * (seed, step, index) through Philox-4x32-10 (layout in native-kernels/philox.cuh), recomputed by backward.
 *
 * <p>The step is read from device memory ({@code step} points at a u64: the Adam state, whose first field is the
 * count of completed steps, see {@link AdamKernels}), so a captured graph replays with the current step. Each
 * dropout layer needs its own seed.
 */
public final class DropoutKernels {
    /** dropout_forward(float* y, const float* x, int n, float p, unsigned long long seed, const u64* step). */
    public static final Kernel FORWARD = Kernel.of("dropout", "dropout_forward", PTR, PTR, I32, F32, U64, PTR);
    /** dropout_backward(float* dx, const float* dy, int n, float p, unsigned long long seed, const u64* step). */
    public static final Kernel BACKWARD = Kernel.of("dropout", "dropout_backward", PTR, PTR, I32, F32, U64, PTR);

    /** Elements per thread: one Philox call gives four 32-bit words. */
    public static final int ELEMENTS_PER_THREAD = 4;

    private final KernelLauncher launcher;

    public DropoutKernels(KernelLauncher launcher) {
        this.launcher = launcher;
    }

    /** y = keep ? x * (1 / (1 - p)) : 0 with drop probability p in [0, 1]; y may be x. */
    public void forward(Object stream, Object y, Object x, int n, float p, long seed, Object step) {
        launch(FORWARD, stream, y, x, n, p, seed, step);
    }

    /** dx = keep ? dy * (1 / (1 - p)) : 0 with the forward's mask (same p, seed and step); dx may be dy. */
    public void backward(Object stream, Object dx, Object dy, int n, float p, long seed, Object step) {
        launch(BACKWARD, stream, dx, dy, n, p, seed, step);
    }

    private void launch(Kernel k, Object stream, Object out, Object in, int n, float p, long seed, Object step) {
        LaunchShape.requireNonNegative("n", n);
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
        if (n > 0) {
            long groups = (n + (long) ELEMENTS_PER_THREAD - 1) / ELEMENTS_PER_THREAD;
            launcher.launch(k, LaunchShape.elementwiseGrid(groups), LaunchShape.ELEMENTWISE_BLOCK, 0, stream,
                    out, in, n, p, seed, step);
        }
    }
}
