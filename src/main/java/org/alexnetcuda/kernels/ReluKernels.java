package org.alexnetcuda.kernels;

import static org.alexnetcuda.kernels.ParamType.I32;
import static org.alexnetcuda.kernels.ParamType.PTR;

/** Launchers for native-kernels/activation.cu: ReLU forward and backward on float arrays of n elements. */
public final class ReluKernels {
    /** relu_forward(float* y, const float* x, int n). */
    public static final Kernel FORWARD = Kernel.of("activation", "relu_forward", PTR, PTR, I32);
    /** relu_backward(float* dx, const float* dy, const float* y, int n). */
    public static final Kernel BACKWARD = Kernel.of("activation", "relu_backward", PTR, PTR, PTR, I32);

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
}
