package org.alexnetcuda.kernels.reference;

import org.alexnetcuda.engine.cpu.Dropout;

/**
 * native-kernels/dropout.cu in Java, with the CPU engine's definition of dropout ({@link Dropout#philoxKeep},
 * {@link Dropout#scale}, {@link Dropout#masked}):
 * <pre>
 *   dropout_forward (float* y, const float* x, int n, float p, u64 key, const u64* step)    y = keep ? x * scale : 0
 *   dropout_backward(float* dx, const float* dy, int n, float p, u64 key, const u64* step)  dx = keep ? dy * scale : 0
 *   keep_i = CounterRng.uniform(key, *step, i) >= p,   scale = 1f / (1f - p)
 * </pre>
 * The key is the layer's, {@code Dropout.layerKey(seed, layerIndex)}, so for the same seed, layer and step the
 * kernels drop exactly the units the CPU engine's Dropout layer drops. As the kernel, the step is read through
 * its pointer before anything else, even for n == 0; p is not range-checked (p = 1 drops everything, the
 * launcher checks [0, 1]). Forward and backward are the same map; out may be in.
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

    private static void apply(String kernel, String outName, String inName, KernelMemory mem, Object out, Object in,
                              int n, float p, long key, Object stepPtr) {
        long step = mem.getLong(Pointers.required(stepPtr, kernel, "step"), 0);
        if (n <= 0) {
            return;
        }
        Pointers.required(out, kernel, outName);
        Pointers.required(in, kernel, inName);
        float scale = Dropout.scale(p);
        float[] v = new float[Chunks.bufferLength(n)];
        Chunks.forEach(n, (from, count) -> {
            mem.readFloats(in, from, v, 0, count);
            for (int i = 0; i < count; i++) {
                v[i] = Dropout.masked(v[i], Dropout.philoxKeep(key, step, from + i, p), scale);
            }
            mem.writeFloats(out, from, v, 0, count);
        });
    }
}
