package org.alexnetcuda.kernels;

import static org.alexnetcuda.kernels.ParamType.F32;
import static org.alexnetcuda.kernels.ParamType.F64;
import static org.alexnetcuda.kernels.ParamType.I32;
import static org.alexnetcuda.kernels.ParamType.PTR;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.alexnetcuda.tensor.StorageFormat;

/**
 * Launchers for native-kernels/optimizer.cu: Adam as torch.optim.Adam, over the whole model in one launch.
 *
 * <p>The step count and learning rate live in a small device-resident state (the C struct AdamState, {@link
 * #STATE_BYTES} bytes, little-endian), so a captured CUDA graph replays unchanged; {@link #encodeState} builds it
 * and {@link #decodeT}/{@link #decodeLr} read it back. One optimizer step is {@link #step}: adam_begin_step
 * (one thread: t += 1 and the bias corrections) then adam_update (every element). The two launches are private and
 * only {@link #step} issues them, in that order: adam_update on a state that adam_begin_step has not prepared would
 * read a step size of 0 and a bias correction of 0 (a fresh state) and write 0/0 = NaN into every weight.
 *
 * <p>Mixed precision: {@link #stepMixed} updates FP32 master weights from 16-bit gradients scaled by the device
 * loss scale ({@link MixedPrecisionKernels}), writes the 16-bit copy of the weights, and skips the whole step
 * (t included) when the scale's found_inf is set, as GradScaler.step skips optimizer.step.
 */
public final class AdamKernels {
    /** adam_begin_step(AdamState* state, double beta1, double beta2). */
    public static final Kernel BEGIN_STEP = Kernel.of("optimizer", "adam_begin_step", PTR, F64, F64);
    /**
     * adam_update(float* param, const float* grad, float* m, float* v, int n, const AdamState* state, float beta1,
     * float one_minus_beta1, float beta2, float one_minus_beta2, float eps, float weight_decay).
     */
    public static final Kernel UPDATE = Kernel.of("optimizer", "adam_update", PTR, PTR, PTR, PTR, I32, PTR,
            F32, F32, F32, F32, F32, F32);

    /** adam_begin_step_mixed(AdamState* state, const LossScale* scale, double beta1, double beta2). */
    public static final Kernel BEGIN_STEP_MIXED = Kernel.of("optimizer", "adam_begin_step_mixed", PTR, PTR, F64, F64);
    /**
     * adam_update_mixed(float* param, unsigned short* param_half, const unsigned short* grad, float* m, float* v,
     * int n, const AdamState* state, const LossScale* scale, float beta1, float one_minus_beta1, float beta2,
     * float one_minus_beta2, float eps, float weight_decay, int fmt).
     */
    public static final Kernel UPDATE_MIXED = Kernel.of("optimizer", "adam_update_mixed", PTR, PTR, PTR, PTR, PTR,
            I32, PTR, PTR, F32, F32, F32, F32, F32, F32, I32);

    /** sizeof(AdamState). */
    public static final int STATE_BYTES = 24;
    /** u64 t: completed steps. During the forward and backward of step s (0-based), t == s. */
    public static final int OFFSET_T = 0;
    /** f64 lr: the learning rate; the host writes it here to change it. */
    public static final int OFFSET_LR = 8;
    /** f32 step_size = lr / (1 - beta1^t), written by adam_begin_step. */
    public static final int OFFSET_STEP_SIZE = 16;
    /** f32 bias2_sqrt = sqrt(1 - beta2^t), written by adam_begin_step. */
    public static final int OFFSET_BIAS2_SQRT = 20;

    /** torch.optim.Adam's hyperparameters other than the learning rate (which is device state). */
    public record Hyperparameters(double beta1, double beta2, double eps, double weightDecay) {
        /** torch.optim.Adam's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0. */
        public static final Hyperparameters TORCH_DEFAULTS = new Hyperparameters(0.9, 0.999, 1e-8, 0.0);

        public Hyperparameters {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps >= 0 && weightDecay >= 0)) {
                throw new IllegalArgumentException("invalid Adam hyperparameters " + beta1 + ", " + beta2 + ", "
                        + eps + ", " + weightDecay);
            }
        }
    }

    private final KernelLauncher launcher;

    public AdamKernels(KernelLauncher launcher) {
        this.launcher = launcher;
    }

    /** The initial device state: t (steps completed, 0 for a fresh optimizer) and the learning rate. */
    public static byte[] encodeState(long t, double lr) {
        ByteBuffer b = ByteBuffer.allocate(STATE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(OFFSET_T, t).putDouble(OFFSET_LR, lr);
        return b.array();
    }

    public static long decodeT(byte[] state) {
        return ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN).getLong(OFFSET_T);
    }

    public static double decodeLr(byte[] state) {
        return ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN).getDouble(OFFSET_LR);
    }

    /**
     * One optimizer step over n parameters: {@link #beginStep} then {@link #update}, on one stream, after backward.
     * param, grad, m and v are each n contiguous floats of the same layout.
     */
    public void step(Object stream, Object state, Object param, Object grad, Object m, Object v, int n,
                     Hyperparameters h) {
        beginStep(stream, state, h);
        update(stream, param, grad, m, v, n, state, h);
    }

    /** t += 1 and the bias corrections for the new t: one thread (grid 1, block 1). */
    private void beginStep(Object stream, Object state, Hyperparameters h) {
        launcher.launch(BEGIN_STEP, 1, 1, 0, stream, state, h.beta1(), h.beta2());
    }

    /**
     * The element-wise update. PyTorch rounds each Python (double) hyperparameter to float where a float tensor
     * op uses it, 1 - beta included, so these are computed in double and rounded once here.
     */
    private void update(Object stream, Object param, Object grad, Object m, Object v, int n, Object state,
                       Hyperparameters h) {
        LaunchShape.requireNonNegative("n", n);
        if (n > 0) {
            launcher.launch(UPDATE, LaunchShape.elementwiseGrid(n), LaunchShape.ELEMENTWISE_BLOCK, 0, stream,
                    param, grad, m, v, n, state, (float) h.beta1(), (float) (1.0 - h.beta1()), (float) h.beta2(),
                    (float) (1.0 - h.beta2()), (float) h.eps(), (float) h.weightDecay());
        }
    }

    /**
     * One mixed-precision optimizer step over n parameters: {@link #beginStepMixed} then {@link #updateMixed}, on one
     * stream, after the gradients were checked ({@link MixedPrecisionKernels#checkFinite}) and before the loss scale
     * is updated ({@link MixedPrecisionKernels#updateScale}). param, m and v are n floats (the FP32 master weights
     * and moments), paramHalf and grad n 16-bit elements of fmt (F16 or BF16) with the same layout.
     */
    public void stepMixed(Object stream, Object state, Object lossScale, Object param, Object paramHalf, Object grad,
                          Object m, Object v, int n, Hyperparameters h, StorageFormat fmt) {
        LaunchShape.halfCode(fmt);
        LaunchShape.requireNonNegative("n", n);
        beginStepMixed(stream, state, lossScale, h);
        updateMixed(stream, param, paramHalf, grad, m, v, n, state, lossScale, h, fmt);
    }

    /**
     * The element-wise mixed-precision update: nothing if the loss scale's found_inf is set; else g = grad widened
     * times inv_scale, {@link #update}'s arithmetic on the FP32 param, m and v, and paramHalf = param rounded to fmt.
     */
    private void updateMixed(Object stream, Object param, Object paramHalf, Object grad, Object m, Object v, int n,
                            Object state, Object lossScale, Hyperparameters h, StorageFormat fmt) {
        int code = LaunchShape.halfCode(fmt);
        LaunchShape.requireNonNegative("n", n);
        if (n > 0) {
            launcher.launch(UPDATE_MIXED, LaunchShape.elementwiseGrid(n), LaunchShape.ELEMENTWISE_BLOCK, 0, stream,
                    param, paramHalf, grad, m, v, n, state, lossScale, (float) h.beta1(), (float) (1.0 - h.beta1()),
                    (float) h.beta2(), (float) (1.0 - h.beta2()), (float) h.eps(), (float) h.weightDecay(), code);
        }
    }

    /** {@link #beginStep}, unless the loss scale's found_inf is set: one thread (grid 1, block 1). */
    private void beginStepMixed(Object stream, Object state, Object lossScale, Hyperparameters h) {
        launcher.launch(BEGIN_STEP_MIXED, 1, 1, 0, stream, state, lossScale, h.beta1(), h.beta2());
    }
}
