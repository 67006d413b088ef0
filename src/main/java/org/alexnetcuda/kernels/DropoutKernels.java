package org.alexnetcuda.kernels;

import static org.alexnetcuda.kernels.ParamType.F32;
import static org.alexnetcuda.kernels.ParamType.I32;
import static org.alexnetcuda.kernels.ParamType.PTR;
import static org.alexnetcuda.kernels.ParamType.U64;

/**
 * Launchers for native-kernels/dropout.cu: inverted dropout whose mask is a pure function of (key, step, index)
 * through Philox-4x32-10, recomputed by backward; bit for bit the CPU engine's
 * {@code org.alexnetcuda.engine.cpu.Dropout}: keep_i = CounterRng.uniform(key, step, i) >= p, scale 1f / (1f - p).
 *
 * <p>{@code key} is the layer's Philox key, {@code Dropout.layerKey(seed, layerIndex)} = seed ^ (layerIndex *
 * 0x9E3779B97F4A7C15), so each dropout layer has its own mask. The step is read from device memory ({@code step}
 * points at a u64: the Adam state, whose first field is the count of completed steps, i.e. Pass.step during
 * forward and backward; see {@link AdamKernels}), so a captured graph replays with the current step.
 */
public final class DropoutKernels {
    /** dropout_forward(float* y, const float* x, int n, float p, unsigned long long key, const u64* step). */
    public static final Kernel FORWARD = Kernel.of("dropout", "dropout_forward", PTR, PTR, I32, F32, U64, PTR);
    /** dropout_backward(float* dx, const float* dy, int n, float p, unsigned long long key, const u64* step). */
    public static final Kernel BACKWARD = Kernel.of("dropout", "dropout_backward", PTR, PTR, I32, F32, U64, PTR);

    private final KernelLauncher launcher;

    public DropoutKernels(KernelLauncher launcher) {
        this.launcher = launcher;
    }

    /** y = keep ? x * (1f / (1f - p)) : 0 with drop probability p in [0, 1]; y may be x. Element-wise launch. */
    public void forward(Object stream, Object y, Object x, int n, float p, long key, Object step) {
        launch(FORWARD, stream, y, x, n, p, key, step);
    }

    /** dx = keep ? dy * (1f / (1f - p)) : 0 with the forward's mask (same p, key and step); dx may be dy. */
    public void backward(Object stream, Object dx, Object dy, int n, float p, long key, Object step) {
        launch(BACKWARD, stream, dx, dy, n, p, key, step);
    }

    private void launch(Kernel k, Object stream, Object out, Object in, int n, float p, long key, Object step) {
        LaunchShape.requireNonNegative("n", n);
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
        if (n > 0) {
            launcher.launch(k, LaunchShape.elementwiseGrid(n), LaunchShape.ELEMENTWISE_BLOCK, 0, stream,
                    out, in, n, p, key, step);
        }
    }
}
