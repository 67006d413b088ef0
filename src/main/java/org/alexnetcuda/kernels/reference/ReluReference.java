package org.alexnetcuda.kernels.reference;

import org.alexnetcuda.engine.cpu.Relu;

/**
 * native-kernels/activation.cu in Java, element by element with the CPU engine's {@link Relu#value} and
 * {@link Relu#gradient}:
 * <pre>
 *   relu_forward (float* y, const float* x, int n)                    y[i] = x[i] <= 0 ? 0 : x[i]
 *   relu_backward(float* dx, const float* dy, const float* y, int n)   dx[i] = y[i] > 0 ? dy[i] : 0
 * </pre>
 * for i in [0, n); nothing for n <= 0. Each piece is read before it is written, so y may be x and dx may be dy.
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
                v[i] = Relu.value(v[i]);
            }
            mem.writeFloats(y, from, v, 0, count);
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
                g[i] = Relu.gradient(out[i], g[i]);
            }
            mem.writeFloats(dx, from, g, 0, count);
        });
    }
}
