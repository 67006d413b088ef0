package org.alexnetcuda.kernels.reference;

import org.alexnetcuda.kernels.MixedPrecisionKernels;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * native-kernels/precision.cu in Java, with {@link StorageFormat#encode}/{@link StorageFormat#decode} for the
 * conversions (which the kernels' half_store/half_load equal bit for bit) and torch.cuda.amp.GradScaler's update.
 * The LossScale at {@code scale} is the C struct (offsets in {@link MixedPrecisionKernels}): f32 scale, f32
 * inv_scale, i32 found_inf, i32 good_steps, u64 skipped.
 * <pre>
 *   cast_to_half (unsigned short* dst, const float* src, int n, int fmt)         dst = encode(src)
 *   cast_to_float(float* dst, const unsigned short* src, int n, int fmt)         dst = decode(src)
 *   cast_to_half_scaled(unsigned short* dst, const float* src, int n, const LossScale* scale, int fmt)
 *                                                                               dst = encode(src * scale->scale)
 *   grads_check_finite(const unsigned short* grad, int n, LossScale* scale, int fmt)
 *       found_inf = 1 if any decode(grad[i]) is infinite or NaN; otherwise unchanged
 *   loss_scale_update(LossScale* s, float growth_factor, float backoff_factor, int growth_interval)
 *       found_inf: scale *= backoff, good_steps = 0, skipped += 1; else good_steps += 1 and, once it reaches
 *       growth_interval, scale *= growth (only if that is finite) and good_steps = 0;
 *       then inv_scale = (float) (1.0 / (double) scale), found_inf = 0
 * </pre>
 * A format code other than 1 or 2 traps, as the kernels' KERNEL_REQUIRE; nothing else is read or written for
 * n <= 0 except the scale that cast_to_half_scaled reads first.
 */
public final class PrecisionReference {
    static final int SCALE = MixedPrecisionKernels.OFFSET_SCALE / Float.BYTES;
    static final int INV_SCALE = MixedPrecisionKernels.OFFSET_INV_SCALE / Float.BYTES;
    static final int FOUND_INF = MixedPrecisionKernels.OFFSET_FOUND_INF / Integer.BYTES;
    static final int GOOD_STEPS = MixedPrecisionKernels.OFFSET_GOOD_STEPS / Integer.BYTES;
    static final int SKIPPED = MixedPrecisionKernels.OFFSET_SKIPPED / Long.BYTES;

    private PrecisionReference() {
    }

    public static void castToHalf(KernelMemory mem, Object dst, Object src, int n, int fmt) {
        convertFromFloat("cast_to_half", mem, dst, src, n, fmt, 1f, false);
    }

    public static void castToHalfScaled(KernelMemory mem, Object dst, Object src, int n, Object scale, int fmt) {
        String kernel = "cast_to_half_scaled";
        HalfElements.format(kernel, fmt);
        float s = mem.getFloat(Pointers.required(scale, kernel, "scale"), SCALE);
        convertFromFloat(kernel, mem, dst, src, n, fmt, s, true);
    }

    private static void convertFromFloat(String kernel, KernelMemory mem, Object dst, Object src, int n, int fmt,
                                         float scale, boolean scaled) {
        StorageFormat format = HalfElements.format(kernel, fmt);
        if (n <= 0) {
            return;
        }
        Pointers.required(dst, kernel, "dst");
        Pointers.required(src, kernel, "src");
        float[] v = new float[Chunks.bufferLength(n)];
        short[] bits = new short[v.length];
        Chunks.forEach(n, (from, count) -> {
            mem.readFloats(src, from, v, 0, count);
            if (scaled) {
                for (int i = 0; i < count; i++) {
                    v[i] = v[i] * scale;
                }
            }
            HalfElements.write(mem, dst, from, count, format, bits, v);
        });
    }

    public static void castToFloat(KernelMemory mem, Object dst, Object src, int n, int fmt) {
        String kernel = "cast_to_float";
        StorageFormat format = HalfElements.format(kernel, fmt);
        if (n <= 0) {
            return;
        }
        Pointers.required(dst, kernel, "dst");
        Pointers.required(src, kernel, "src");
        float[] v = new float[Chunks.bufferLength(n)];
        short[] bits = new short[v.length];
        Chunks.forEach(n, (from, count) -> {
            HalfElements.read(mem, src, from, count, format, bits, v);
            mem.writeFloats(dst, from, v, 0, count);
        });
    }

    public static void gradsCheckFinite(KernelMemory mem, Object grad, int n, Object scale, int fmt) {
        String kernel = "grads_check_finite";
        StorageFormat format = HalfElements.format(kernel, fmt);
        if (n <= 0) {
            return;
        }
        Pointers.required(grad, kernel, "grad");
        Pointers.required(scale, kernel, "scale");
        float[] v = new float[Chunks.bufferLength(n)];
        short[] bits = new short[v.length];
        boolean[] found = {false};
        Chunks.forEach(n, (from, count) -> {
            if (found[0]) {
                return;  // the kernel reads every element, but the flag can only be set once more
            }
            HalfElements.read(mem, grad, from, count, format, bits, v);
            for (int i = 0; i < count; i++) {
                if (!Float.isFinite(v[i])) {
                    found[0] = true;
                    break;
                }
            }
        });
        if (found[0]) {
            mem.putInt(scale, FOUND_INF, 1);
        }
    }

    public static void lossScaleUpdate(KernelMemory mem, Object s, float growthFactor, float backoffFactor,
                                       int growthInterval) {
        Pointers.required(s, "loss_scale_update", "s");
        float scale = mem.getFloat(s, SCALE);
        int good = mem.getInt(s, GOOD_STEPS);
        long skipped = mem.getLong(s, SKIPPED);
        if (mem.getInt(s, FOUND_INF) != 0) {
            scale = scale * backoffFactor;
            good = 0;
            skipped++;
        } else {
            good++;
            if (good >= growthInterval) {
                float grown = scale * growthFactor;
                if (Float.isFinite(grown)) {
                    scale = grown;
                }
                good = 0;
            }
        }
        mem.putFloat(s, SCALE, scale);
        mem.putFloat(s, INV_SCALE, MixedPrecisionKernels.inverse(scale));
        mem.putInt(s, FOUND_INF, 0);
        mem.putInt(s, GOOD_STEPS, good);
        mem.putLong(s, SKIPPED, skipped);
    }
}
