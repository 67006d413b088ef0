package org.alexnetcuda.kernels;

import static org.alexnetcuda.kernels.ParamType.I32;
import static org.alexnetcuda.kernels.ParamType.PTR;

import java.util.Objects;

import org.alexnetcuda.tensor.StorageFormat;

/**
 * Launcher for native-kernels/linear.cu: the bias gradient of a fully connected layer (column sums of dY,
 * accumulated into db). Why a kernel of ours and not cuBLAS gemv: see linear.cu.
 */
public final class LinearKernels {
    /** bias_grad_accumulate(float* db, const float* dy, int rows, int cols). */
    public static final Kernel BIAS_GRAD = Kernel.of("linear", "bias_grad_accumulate", PTR, PTR, I32, I32);

    /** bias_grad_accumulate_half(unsigned short* db, const unsigned short* dy, int rows, int cols, int fmt). */
    public static final Kernel BIAS_GRAD_HALF = Kernel.of("linear", "bias_grad_accumulate_half", PTR, PTR, I32, I32,
            I32);

    private final KernelLauncher launcher;

    public LinearKernels(KernelLauncher launcher) {
        this.launcher = launcher;
    }

    /** db[j] += sum over i of dy[i * cols + j], for dY [rows x cols] row-major. One thread per column. */
    public void biasGradAccumulate(Object stream, Object db, Object dy, int rows, int cols) {
        biasGradAccumulate(stream, db, dy, rows, cols, StorageFormat.F32);
    }

    /**
     * The same with db and dY stored in fmt: F32 runs the float kernel; F16 and BF16 accumulate in float from the
     * widened db[j] in the same order and round once into db[j].
     */
    public void biasGradAccumulate(Object stream, Object db, Object dy, int rows, int cols, StorageFormat fmt) {
        Objects.requireNonNull(fmt, "fmt");
        LaunchShape.requireNonNegative("rows", rows);
        LaunchShape.requireNonNegative("cols", cols);
        if (cols > 0) {
            if (fmt == StorageFormat.F32) {
                launcher.launch(BIAS_GRAD, LaunchShape.elementwiseGrid(cols), LaunchShape.ELEMENTWISE_BLOCK, 0,
                        stream, db, dy, rows, cols);
            } else {
                launcher.launch(BIAS_GRAD_HALF, LaunchShape.elementwiseGrid(cols), LaunchShape.ELEMENTWISE_BLOCK, 0,
                        stream, db, dy, rows, cols, fmt.code());
            }
        }
    }
}
