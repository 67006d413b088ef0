package org.alexnetcuda.kernels.reference;

import org.alexnetcuda.kernels.AdamKernels;
import org.alexnetcuda.math.Adam;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * native-kernels/optimizer.cu in Java, with the CPU engine's Adam arithmetic ({@link Adam#stepSize},
 * {@link Adam#bias2Sqrt}, {@link Adam.ElementUpdate}), so that the kernels, this reference and
 * {@code Adam.step} are one definition (torch 1.13's CPU Adam).
 *
 * <p>The state is the C struct AdamState at {@code state} (offsets in {@link AdamKernels}): u64 t, f64 lr,
 * f32 step_size, f32 bias2_sqrt.
 * <pre>
 *   adam_begin_step(AdamState* state, double beta1, double beta2)
 *       t += 1;  step_size = (float) (lr / (1 - beta1^t));  bias2_sqrt = (float) sqrt(1 - beta2^t)   (double inside)
 *   adam_update(float* param, const float* grad, float* m, float* v, int n, const AdamState* state,
 *               float beta1, float one_minus_beta1, float beta2, float one_minus_beta2, float eps, float weight_decay)
 *       per element, in float, with the state's step_size and bias2_sqrt: Adam.ElementUpdate.apply
 * </pre>
 * The kernel decides on weight decay by weight_decay != 0 in float, so that is what is passed as the decay flag.
 *
 * <p>Mixed precision, with the LossScale at {@code scale} (offsets in {@link org.alexnetcuda.kernels.MixedPrecisionKernels}):
 * <pre>
 *   adam_begin_step_mixed(AdamState* state, const LossScale* scale, double beta1, double beta2)
 *       nothing if scale->found_inf != 0, else adam_begin_step
 *   adam_update_mixed(float* param, unsigned short* param_half, const unsigned short* grad, float* m, float* v, int n,
 *                     const AdamState* state, const LossScale* scale, ..., int fmt)
 *       nothing if scale->found_inf != 0; else per element g = decode(grad) * inv_scale (one float multiply), the
 *       same Adam.ElementUpdate on param, m, v, then param_half = encode(param)
 * </pre>
 */
public final class AdamReference {
    private static final int T = AdamKernels.OFFSET_T / Long.BYTES;
    private static final int LR = AdamKernels.OFFSET_LR / Double.BYTES;
    private static final int STEP_SIZE = AdamKernels.OFFSET_STEP_SIZE / Float.BYTES;
    private static final int BIAS2_SQRT = AdamKernels.OFFSET_BIAS2_SQRT / Float.BYTES;

    private static final int FOUND_INF = PrecisionReference.FOUND_INF;
    private static final int INV_SCALE = PrecisionReference.INV_SCALE;

    private AdamReference() {
    }

    public static void adamBeginStepMixed(KernelMemory mem, Object state, Object scale, double beta1, double beta2) {
        Pointers.required(scale, "adam_begin_step_mixed", "scale");
        if (mem.getInt(scale, FOUND_INF) != 0) {
            return;
        }
        Pointers.required(state, "adam_begin_step_mixed", "state");
        adamBeginStep(mem, state, beta1, beta2);
    }

    public static void adamUpdateMixed(KernelMemory mem, Object param, Object paramHalf, Object grad, Object m,
                                       Object v, int n, Object state, Object scale, float beta1, float oneMinusBeta1,
                                       float beta2, float oneMinusBeta2, float eps, float weightDecay, int fmt) {
        String kernel = "adam_update_mixed";
        StorageFormat format = HalfElements.format(kernel, fmt);
        Pointers.required(scale, kernel, "scale");
        if (mem.getInt(scale, FOUND_INF) != 0) {
            return;
        }
        float invScale = mem.getFloat(scale, INV_SCALE);
        Pointers.required(state, kernel, "state");
        float stepSize = mem.getFloat(state, STEP_SIZE);
        float bias2Sqrt = mem.getFloat(state, BIAS2_SQRT);
        if (n <= 0) {
            return;
        }
        Pointers.required(param, kernel, "param");
        Pointers.required(paramHalf, kernel, "param_half");
        Pointers.required(grad, kernel, "grad");
        Pointers.required(m, kernel, "m");
        Pointers.required(v, kernel, "v");
        Adam.ElementUpdate update = new Adam.ElementUpdate(-stepSize, bias2Sqrt, beta1, oneMinusBeta1, beta2,
                oneMinusBeta2, eps, weightDecay, weightDecay != 0f);
        int len = Chunks.bufferLength(n);
        float[] p = new float[len];
        float[] g = new float[len];
        float[] mm = new float[len];
        float[] vv = new float[len];
        short[] bits = new short[len];
        Chunks.forEach(n, (from, count) -> {
            mem.readFloats(param, from, p, 0, count);
            HalfElements.read(mem, grad, from, count, format, bits, g);
            for (int i = 0; i < count; i++) {
                g[i] = g[i] * invScale;
            }
            mem.readFloats(m, from, mm, 0, count);
            mem.readFloats(v, from, vv, 0, count);
            update.apply(p, g, mm, vv, 0, count);
            mem.writeFloats(m, from, mm, 0, count);
            mem.writeFloats(v, from, vv, 0, count);
            mem.writeFloats(param, from, p, 0, count);
            HalfElements.write(mem, paramHalf, from, count, format, bits, p);
        });
    }

    public static void adamBeginStep(KernelMemory mem, Object state, double beta1, double beta2) {
        Pointers.required(state, "adam_begin_step", "state");
        long t = mem.getLong(state, T) + 1;
        mem.putLong(state, T, t);
        double lr = mem.getDouble(state, LR);
        mem.putFloat(state, STEP_SIZE, (float) Adam.stepSize(lr, beta1, t));
        mem.putFloat(state, BIAS2_SQRT, Adam.bias2Sqrt(beta2, t));
    }

    public static void adamUpdate(KernelMemory mem, Object param, Object grad, Object m, Object v, int n, Object state,
                                  float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps,
                                  float weightDecay) {
        // As the kernel: the state is read by every thread before its loop, even for n == 0.
        Pointers.required(state, "adam_update", "state");
        float stepSize = mem.getFloat(state, STEP_SIZE);
        float bias2Sqrt = mem.getFloat(state, BIAS2_SQRT);
        if (n <= 0) {
            return;
        }
        Pointers.required(param, "adam_update", "param");
        Pointers.required(grad, "adam_update", "grad");
        Pointers.required(m, "adam_update", "m");
        Pointers.required(v, "adam_update", "v");
        Adam.ElementUpdate update = new Adam.ElementUpdate(-stepSize, bias2Sqrt, beta1, oneMinusBeta1, beta2,
                oneMinusBeta2, eps, weightDecay, weightDecay != 0f);
        int len = Chunks.bufferLength(n);
        float[] p = new float[len];
        float[] g = new float[len];
        float[] mm = new float[len];
        float[] vv = new float[len];
        Chunks.forEach(n, (from, count) -> {
            mem.readFloats(param, from, p, 0, count);
            mem.readFloats(grad, from, g, 0, count);
            mem.readFloats(m, from, mm, 0, count);
            mem.readFloats(v, from, vv, 0, count);
            update.apply(p, g, mm, vv, 0, count);
            mem.writeFloats(m, from, mm, 0, count);
            mem.writeFloats(v, from, vv, 0, count);
            mem.writeFloats(param, from, p, 0, count);
        });
    }
}
