package org.alexnetcuda.kernels.reference;

import org.alexnetcuda.math.ReluMath;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * native-kernels/activation.cu in Java, element by element with the CPU engine's {@link ReluMath#value} and
 * {@link ReluMath#gradient}:
 * <pre>
 *   relu_forward (float* y, const float* x, int n)                    y[i] = x[i] <= 0 ? 0 : x[i]
 *   relu_backward(float* dx, const float* dy, const float* y, int n)   dx[i] = y[i] > 0 ? dy[i] : 0
 * </pre>
 * for i in [0, n); nothing for n <= 0. Each piece is read before it is written, so y may be x and dx may be dy.
 * The {@code _half} kernels are the same on 16-bit tensors of format fmt: each element widened, the same function,
 * the result rounded ({@link HalfElements}).
 */
public final class ReluReference {
    private ReluReference() {
    }

    public static void reluForward(KernelMemory mem, Object y, Object x, int n) {
        if (n <= 0) {
            return;
        }
        Pointers.required(y, "relu_forward", "y");
        Pointers.required(x, "relu_forward", "x");
        float[] v = new float[Chunks.bufferLength(n)];
        Chunks.forEach(n, (from, count) -> {
            mem.readFloats(x, from, v, 0, count);
            for (int i = 0; i < count; i++) {
                v[i] = ReluMath.value(v[i]);
            }
            mem.writeFloats(y, from, v, 0, count);
        });
    }

    public static void reluForwardHalf(KernelMemory mem, Object y, Object x, int n, int fmt) {
        StorageFormat format = HalfElements.format("relu_forward_half", fmt);
        if (n <= 0) {
            return;
        }
        Pointers.required(y, "relu_forward_half", "y");
        Pointers.required(x, "relu_forward_half", "x");
        short[] bits = new short[Chunks.bufferLength(n)];
        float[] v = new float[bits.length];
        Chunks.forEach(n, (from, count) -> {
            HalfElements.read(mem, x, from, count, format, bits, v);
            for (int i = 0; i < count; i++) {
                v[i] = ReluMath.value(v[i]);
            }
            HalfElements.write(mem, y, from, count, format, bits, v);
        });
    }

    public static void reluBackwardHalf(KernelMemory mem, Object dx, Object dy, Object y, int n, int fmt) {
        StorageFormat format = HalfElements.format("relu_backward_half", fmt);
        if (n <= 0) {
            return;
        }
        Pointers.required(dx, "relu_backward_half", "dx");
        Pointers.required(dy, "relu_backward_half", "dy");
        Pointers.required(y, "relu_backward_half", "y");
        short[] bits = new short[Chunks.bufferLength(n)];
        float[] g = new float[bits.length];
        float[] out = new float[bits.length];
        Chunks.forEach(n, (from, count) -> {
            HalfElements.read(mem, dy, from, count, format, bits, g);
            HalfElements.read(mem, y, from, count, format, bits, out);
            for (int i = 0; i < count; i++) {
                g[i] = ReluMath.gradient(out[i], g[i]);
            }
            HalfElements.write(mem, dx, from, count, format, bits, g);
        });
    }

    public static void reluBackward(KernelMemory mem, Object dx, Object dy, Object y, int n) {
        if (n <= 0) {
            return;
        }
        Pointers.required(dx, "relu_backward", "dx");
        Pointers.required(dy, "relu_backward", "dy");
        Pointers.required(y, "relu_backward", "y");
        float[] g = new float[Chunks.bufferLength(n)];
        float[] out = new float[g.length];
        Chunks.forEach(n, (from, count) -> {
            mem.readFloats(dy, from, g, 0, count);
            mem.readFloats(y, from, out, 0, count);
            for (int i = 0; i < count; i++) {
                g[i] = ReluMath.gradient(out[i], g[i]);
            }
            mem.writeFloats(dx, from, g, 0, count);
        });
    }
}
