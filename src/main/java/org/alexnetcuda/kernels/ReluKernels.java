package org.alexnetcuda.kernels;

import static org.alexnetcuda.kernels.ParamType.I32;
import static org.alexnetcuda.kernels.ParamType.PTR;

import java.util.Objects;

import org.alexnetcuda.tensor.StorageFormat;

/**
 * Launchers for native-kernels/activation.cu: ReLU forward and backward on arrays of n elements, float or (with a
 * {@link StorageFormat}) 16-bit: the same function on the widened element, rounded on store.
 */
public final class ReluKernels {
    /** relu_forward(float* y, const float* x, int n). */
    public static final Kernel FORWARD = Kernel.of("activation", "relu_forward", PTR, PTR, I32);
    /** relu_backward(float* dx, const float* dy, const float* y, int n). */
    public static final Kernel BACKWARD = Kernel.of("activation", "relu_backward", PTR, PTR, PTR, I32);

    /** relu_forward_half(unsigned short* y, const unsigned short* x, int n, int fmt). */
    public static final Kernel FORWARD_HALF = Kernel.of("activation", "relu_forward_half", PTR, PTR, I32, I32);
    /** relu_backward_half(unsigned short* dx, const unsigned short* dy, const unsigned short* y, int n, int fmt). */
    public static final Kernel BACKWARD_HALF = Kernel.of("activation", "relu_backward_half", PTR, PTR, PTR, I32,
            I32);

    private final KernelLauncher launcher;

    public ReluKernels(KernelLauncher launcher) {
        this.launcher = launcher;
    }

    /** y = max(x, 0) (NaN kept, as PyTorch); y may be x. Element-wise launch shape; nothing for n == 0. */
    public void forward(Object stream, Object y, Object x, int n) {
        LaunchShape.requireNonNegative("n", n);
        if (n > 0) {
            launcher.launch(FORWARD, LaunchShape.elementwiseGrid(n), LaunchShape.ELEMENTWISE_BLOCK, 0, stream, y, x, n);
        }
    }

    /** dx = y > 0 ? dy : 0, from the forward output y; dx may be dy. */
    public void backward(Object stream, Object dx, Object dy, Object y, int n) {
        LaunchShape.requireNonNegative("n", n);
        if (n > 0) {
            launcher.launch(BACKWARD, LaunchShape.elementwiseGrid(n), LaunchShape.ELEMENTWISE_BLOCK, 0, stream,
                    dx, dy, y, n);
        }
    }

    /** {@link #forward(Object, Object, Object, int)} on tensors stored in fmt: the float kernel for F32. */
    public void forward(Object stream, Object y, Object x, int n, StorageFormat fmt) {
        if (Objects.requireNonNull(fmt, "fmt") == StorageFormat.F32) {
            forward(stream, y, x, n);
            return;
        }
        LaunchShape.requireNonNegative("n", n);
        if (n > 0) {
            launcher.launch(FORWARD_HALF, LaunchShape.elementwiseGrid(n), LaunchShape.ELEMENTWISE_BLOCK, 0, stream,
                    y, x, n, fmt.code());
        }
    }

    /** {@link #backward(Object, Object, Object, Object, int)} on tensors stored in fmt: the float kernel for F32. */
    public void backward(Object stream, Object dx, Object dy, Object y, int n, StorageFormat fmt) {
        if (Objects.requireNonNull(fmt, "fmt") == StorageFormat.F32) {
            backward(stream, dx, dy, y, n);
            return;
        }
        LaunchShape.requireNonNegative("n", n);
        if (n > 0) {
            launcher.launch(BACKWARD_HALF, LaunchShape.elementwiseGrid(n), LaunchShape.ELEMENTWISE_BLOCK, 0, stream,
                    dx, dy, y, n, fmt.code());
        }
    }
}
