package org.alexnetcuda.kernels.reference;

import org.alexnetcuda.math.DropoutMath;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * native-kernels/dropout.cu in Java, with the CPU engine's definition of dropout ({@link DropoutMath#philoxKeep},
 * {@link DropoutMath#scale}, {@link DropoutMath#masked}):
 * <pre>
 *   dropout_forward (float* y, const float* x, int n, float p, u64 key, const u64* step)    y = keep ? x * scale : 0
 *   dropout_backward(float* dx, const float* dy, int n, float p, u64 key, const u64* step)  dx = keep ? dy * scale : 0
 *   keep_i = CounterRng.uniform(key, *step, i) >= p,   scale = 1f / (1f - p)
 * </pre>
 * The key is the layer's, {@code DropoutMath.layerKey(seed, layerIndex)}, so for the same seed, layer and step the
 * kernels drop exactly the units the CPU engine's Dropout layer drops. As the kernel, the step is read through
 * its pointer before anything else, even for n == 0; p is not range-checked (p = 1 drops everything, the
 * launcher checks [0, 1]). Forward and backward are the same map; out may be in. The {@code _half} kernels (an
 * extra {@code int fmt}) are the same map on 16-bit tensors: each element widened, masked and scaled in float,
 * rounded on store ({@link HalfElements}).
 */
public final class DropoutReference {
    private DropoutReference() {
    }

    public static void dropoutForward(KernelMemory mem, Object y, Object x, int n, float p, long key, Object step) {
        apply("dropout_forward", "y", "x", mem, y, x, n, p, key, step);
    }

    public static void dropoutBackward(KernelMemory mem, Object dx, Object dy, int n, float p, long key,
                                       Object step) {
        apply("dropout_backward", "dx", "dy", mem, dx, dy, n, p, key, step);
    }

    public static void dropoutForwardHalf(KernelMemory mem, Object y, Object x, int n, float p, long key, Object step,
                                          int fmt) {
        StorageFormat format = HalfElements.format("dropout_forward_half", fmt);
        apply("dropout_forward_half", "y", "x", mem, y, x, n, p, key, step, format);
    }

    public static void dropoutBackwardHalf(KernelMemory mem, Object dx, Object dy, int n, float p, long key,
                                           Object step, int fmt) {
        StorageFormat format = HalfElements.format("dropout_backward_half", fmt);
        apply("dropout_backward_half", "dx", "dy", mem, dx, dy, n, p, key, step, format);
    }

    private static void apply(String kernel, String outName, String inName, KernelMemory mem, Object out, Object in,
                              int n, float p, long key, Object stepPtr) {
        apply(kernel, outName, inName, mem, out, in, n, p, key, stepPtr, StorageFormat.F32);
    }

    /** The map on float (F32) or 16-bit elements of the given format. */
    private static void apply(String kernel, String outName, String inName, KernelMemory mem, Object out, Object in,
                              int n, float p, long key, Object stepPtr, StorageFormat format) {
        long step = mem.getLong(Pointers.required(stepPtr, kernel, "step"), 0);
        if (n <= 0) {
            return;
        }
        Pointers.required(out, kernel, outName);
        Pointers.required(in, kernel, inName);
        float scale = DropoutMath.scale(p);
        float[] v = new float[Chunks.bufferLength(n)];
        short[] bits = format.isHalf() ? new short[v.length] : null;
        Chunks.forEach(n, (from, count) -> {
            if (bits == null) {
                mem.readFloats(in, from, v, 0, count);
            } else {
                HalfElements.read(mem, in, from, count, format, bits, v);
            }
            for (int i = 0; i < count; i++) {
                v[i] = DropoutMath.masked(v[i], DropoutMath.philoxKeep(key, step, from + i, p), scale);
            }
            if (bits == null) {
                mem.writeFloats(out, from, v, 0, count);
            } else {
                HalfElements.write(mem, out, from, count, format, bits, v);
            }
        });
    }
}
