package org.alexnetcuda.kernels;

import static org.alexnetcuda.kernels.ParamType.F32;
import static org.alexnetcuda.kernels.ParamType.I32;
import static org.alexnetcuda.kernels.ParamType.PTR;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.alexnetcuda.tensor.StorageFormat;

/**
 * Launchers for native-kernels/precision.cu: conversions between FP32 and 16-bit tensors (fp16 or bf16, rounded to
 * nearest even bit for bit as {@link StorageFormat#encode}) and the dynamic loss scale of mixed-precision training,
 * torch.cuda.amp.GradScaler's.
 *
 * <p>The loss scale is device state (the C struct LossScale, {@link #LOSS_SCALE_BYTES} bytes, little-endian), so a
 * captured CUDA graph replays every step unchanged: {@link #encodeLossScale} builds it, the decoders read it back.
 * One step on one stream: forward and backward with the loss gradient multiplied by the scale, {@link #checkFinite}
 * over every 16-bit gradient block, {@link AdamKernels#stepMixed} (which skips the step when an inf or NaN was
 * found), then {@link #updateScale} (which must come last: it clears the flag).
 */
public final class MixedPrecisionKernels {
    /** cast_to_half(unsigned short* dst, const float* src, int n, int fmt). */
    public static final Kernel TO_HALF = Kernel.of("precision", "cast_to_half", PTR, PTR, I32, I32);
    /** cast_to_float(float* dst, const unsigned short* src, int n, int fmt). */
    public static final Kernel TO_FLOAT = Kernel.of("precision", "cast_to_float", PTR, PTR, I32, I32);
    /** cast_to_half_scaled(unsigned short* dst, const float* src, int n, const LossScale* scale, int fmt). */
    public static final Kernel TO_HALF_SCALED = Kernel.of("precision", "cast_to_half_scaled", PTR, PTR, I32, PTR, I32);
    /** grads_check_finite(const unsigned short* grad, int n, LossScale* scale, int fmt). */
    public static final Kernel CHECK_FINITE = Kernel.of("precision", "grads_check_finite", PTR, I32, PTR, I32);
    /** loss_scale_update(LossScale* s, float growth_factor, float backoff_factor, int growth_interval). */
    public static final Kernel UPDATE_SCALE = Kernel.of("precision", "loss_scale_update", PTR, F32, F32, I32);

    /** sizeof(LossScale). */
    public static final int LOSS_SCALE_BYTES = 24;
    /** f32 scale: the factor the loss gradient (and so every gradient) is multiplied by. */
    public static final int OFFSET_SCALE = 0;
    /** f32 inv_scale = (float) (1.0 / (double) scale): what adam_update_mixed multiplies the gradients by. */
    public static final int OFFSET_INV_SCALE = 4;
    /** i32 found_inf: non-zero when this step's gradients hold an inf or NaN (set by grads_check_finite). */
    public static final int OFFSET_FOUND_INF = 8;
    /** i32 good_steps: consecutive steps without inf or NaN since the scale last changed. */
    public static final int OFFSET_GOOD_STEPS = 12;
    /** u64 skipped: optimizer steps skipped because of an inf or NaN, in total. */
    public static final int OFFSET_SKIPPED = 16;

    /** GradScaler's defaults: init_scale 2^16. */
    public static final float INIT_SCALE = 65536f;
    /** growth_factor: the scale doubles after {@link #GROWTH_INTERVAL} steps without inf or NaN. */
    public static final float GROWTH_FACTOR = 2f;
    /** backoff_factor: the scale halves at every step with an inf or NaN (which is skipped). */
    public static final float BACKOFF_FACTOR = 0.5f;
    /** growth_interval. */
    public static final int GROWTH_INTERVAL = 2000;

    private final KernelLauncher launcher;

    public MixedPrecisionKernels(KernelLauncher launcher) {
        this.launcher = launcher;
    }

    /**
     * A LossScale with the given scale (inv_scale = (float) (1.0 / (double) scale)), good-step count and skipped
     * count, found_inf clear; {@code encodeLossScale(INIT_SCALE, 0, 0)} for a fresh GradScaler.
     */
    public static byte[] encodeLossScale(float scale, int goodSteps, long skipped) {
        ByteBuffer b = ByteBuffer.allocate(LOSS_SCALE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(OFFSET_SCALE, scale).putFloat(OFFSET_INV_SCALE, inverse(scale)).putInt(OFFSET_FOUND_INF, 0)
                .putInt(OFFSET_GOOD_STEPS, goodSteps).putLong(OFFSET_SKIPPED, skipped);
        return b.array();
    }

    /** The kernels' inv_scale: (float) (1.0 / (double) scale). */
    public static float inverse(float scale) {
        return (float) (1.0 / (double) scale);
    }

    public static float decodeScale(byte[] lossScale) {
        return le(lossScale).getFloat(OFFSET_SCALE);
    }

    public static float decodeInvScale(byte[] lossScale) {
        return le(lossScale).getFloat(OFFSET_INV_SCALE);
    }

    public static boolean decodeFoundInf(byte[] lossScale) {
        return le(lossScale).getInt(OFFSET_FOUND_INF) != 0;
    }

    public static int decodeGoodSteps(byte[] lossScale) {
        return le(lossScale).getInt(OFFSET_GOOD_STEPS);
    }

    public static long decodeSkipped(byte[] lossScale) {
        return le(lossScale).getLong(OFFSET_SKIPPED);
    }

    private static ByteBuffer le(byte[] lossScale) {
        if (lossScale.length < LOSS_SCALE_BYTES) {
            throw new IllegalArgumentException("a LossScale has " + LOSS_SCALE_BYTES + " bytes, got "
                    + lossScale.length);
        }
        return ByteBuffer.wrap(lossScale).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** dst (16-bit, fmt) = src (float) rounded to nearest even. Element-wise launch; nothing for n == 0. */
    public void toHalf(Object stream, Object dst, Object src, int n, StorageFormat fmt) {
        elementwise(TO_HALF, stream, n, dst, src, n, LaunchShape.halfCode(fmt));
    }

    /** dst (float) = src (16-bit, fmt) widened exactly. */
    public void toFloat(Object stream, Object dst, Object src, int n, StorageFormat fmt) {
        elementwise(TO_FLOAT, stream, n, dst, src, n, LaunchShape.halfCode(fmt));
    }

    /** dst (16-bit, fmt) = src * scale rounded, with the scale read from the device LossScale. */
    public void toHalfScaled(Object stream, Object dst, Object src, int n, Object lossScale, StorageFormat fmt) {
        elementwise(TO_HALF_SCALED, stream, n, dst, src, n, lossScale, LaunchShape.halfCode(fmt));
    }

    /** Sets the LossScale's found_inf if any of the n 16-bit elements of grad is infinite or NaN (never clears it). */
    public void checkFinite(Object stream, Object grad, int n, Object lossScale, StorageFormat fmt) {
        elementwise(CHECK_FINITE, stream, n, grad, n, lossScale, LaunchShape.halfCode(fmt));
    }

    /**
     * GradScaler.update with the defaults ({@link #GROWTH_FACTOR}, {@link #BACKOFF_FACTOR}, {@link #GROWTH_INTERVAL}),
     * after the optimizer step: back off (and count a skipped step) if found_inf, else grow after the interval; then
     * clears found_inf. One thread (grid 1, block 1).
     */
    public void updateScale(Object stream, Object lossScale) {
        launcher.launch(UPDATE_SCALE, 1, 1, 0, stream, lossScale, GROWTH_FACTOR, BACKOFF_FACTOR, GROWTH_INTERVAL);
    }

    private void elementwise(Kernel k, Object stream, int n, Object... args) {
        LaunchShape.requireNonNegative("n", n);
        if (n > 0) {
            launcher.launch(k, LaunchShape.elementwiseGrid(n), LaunchShape.ELEMENTWISE_BLOCK, 0, stream, args);
        }
    }
}
