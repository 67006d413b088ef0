package org.alexnetcuda.kernels;

import static org.alexnetcuda.kernels.ParamType.F32;
import static org.alexnetcuda.kernels.ParamType.I32;
import static org.alexnetcuda.kernels.ParamType.PTR;
import static org.alexnetcuda.kernels.ParamType.U64;

import java.util.Objects;

import org.alexnetcuda.tensor.StorageFormat;

/**
 * Launchers for native-kernels/dropout.cu: inverted dropout whose mask is a pure function of (key, step, index)
 * through Philox-4x32-10, recomputed by backward; bit for bit the CPU engine's Dropout
 * ({@code org.alexnetcuda.math.DropoutMath}): keep_i = CounterRng.uniform(key, step, i) >= p, scale 1f / (1f - p).
 *
 * <p>{@code key} is the layer's Philox key, {@code DropoutMath.layerKey(seed, layerIndex)} = seed ^ (layerIndex *
 * 0x9E3779B97F4A7C15), so each dropout layer has its own mask. The step is read from device memory ({@code step}
 * points at a u64: the Adam state, whose first field is the count of completed steps, i.e. Pass.step during
 * forward and backward; see {@link AdamKernels}), so a captured graph replays with the current step.
 *
 * <p>With a {@link StorageFormat}, the tensors are stored in that format: F32 runs the float kernels, F16 and BF16
 * the {@code _half} ones (the same mask and float arithmetic on the widened element, rounded on store).
 */
public final class DropoutKernels {
    /** dropout_forward(float* y, const float* x, int n, float p, unsigned long long key, const u64* step). */
    public static final Kernel FORWARD = Kernel.of("dropout", "dropout_forward", PTR, PTR, I32, F32, U64, PTR);
    /** dropout_backward(float* dx, const float* dy, int n, float p, unsigned long long key, const u64* step). */
    public static final Kernel BACKWARD = Kernel.of("dropout", "dropout_backward", PTR, PTR, I32, F32, U64, PTR);

    /** dropout_forward_half(u16* y, const u16* x, int n, float p, u64 key, const u64* step, int fmt). */
    public static final Kernel FORWARD_HALF = Kernel.of("dropout", "dropout_forward_half", PTR, PTR, I32, F32, U64,
            PTR, I32);
    /** dropout_backward_half(u16* dx, const u16* dy, int n, float p, u64 key, const u64* step, int fmt). */
    public static final Kernel BACKWARD_HALF = Kernel.of("dropout", "dropout_backward_half", PTR, PTR, I32, F32, U64,
            PTR, I32);

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

    /** {@link #forward(Object, Object, Object, int, float, long, Object)} on tensors stored in fmt. */
    public void forward(Object stream, Object y, Object x, int n, float p, long key, Object step, StorageFormat fmt) {
        launch(FORWARD, FORWARD_HALF, stream, y, x, n, p, key, step, fmt);
    }

    /** {@link #backward(Object, Object, Object, int, float, long, Object)} on tensors stored in fmt. */
    public void backward(Object stream, Object dx, Object dy, int n, float p, long key, Object step,
                         StorageFormat fmt) {
        launch(BACKWARD, BACKWARD_HALF, stream, dx, dy, n, p, key, step, fmt);
    }

    private void launch(Kernel k, Object stream, Object out, Object in, int n, float p, long key, Object step) {
        launch(k, null, stream, out, in, n, p, key, step, StorageFormat.F32);
    }

    private void launch(Kernel f32, Kernel half, Object stream, Object out, Object in, int n, float p, long key,
                        Object step, StorageFormat fmt) {
        Objects.requireNonNull(fmt, "fmt");
        LaunchShape.requireNonNegative("n", n);
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
        if (n > 0) {
            if (fmt == StorageFormat.F32) {
                launcher.launch(f32, LaunchShape.elementwiseGrid(n), LaunchShape.ELEMENTWISE_BLOCK, 0, stream,
                        out, in, n, p, key, step);
            } else {
                launcher.launch(half, LaunchShape.elementwiseGrid(n), LaunchShape.ELEMENTWISE_BLOCK, 0, stream,
                        out, in, n, p, key, step, fmt.code());
            }
        }
    }
}
