package org.alexnetcuda.kernels.reference;

/**
 * native-kernels/linear.cu in Java:
 * <pre>
 *   bias_grad_accumulate(float* db, const float* dy, int rows, int cols)
 *       db[j] = db[j] + dy[0][j] + dy[1][j] + ... + dy[rows - 1][j]   for j in [0, cols), dY [rows x cols] row-major
 * </pre>
 * one float addition per row, starting from the existing db[j], top to bottom: the kernel's fixed order, which
 * makes the result deterministic. (The CPU engine's Linear sums each column in double and adds the sum to db once,
 * which can differ in the last float bit; there is no shared Java definition to reuse, so this is the kernel's.)
 */
public final class LinearReference {
    private LinearReference() {
    }

    public static void biasGradAccumulate(KernelMemory mem, Object db, Object dy, int rows, int cols) {
        if (cols <= 0) {
            return;
        }
        Pointers.required(db, "bias_grad_accumulate", "db");
        if (rows > 0) {
            Pointers.required(dy, "bias_grad_accumulate", "dy");
        }
        float[] acc = new float[Chunks.bufferLength(cols)];
        float[] row = new float[acc.length];
        // A piece of columns at a time, each row of the piece added in row order: per column the same sequence of
        // float additions as the kernel's thread for that column.
        Chunks.forEach(cols, (from, count) -> {
            mem.readFloats(db, from, acc, 0, count);
            for (int i = 0; i < rows; i++) {
                mem.readFloats(dy, (long) i * cols + from, row, 0, count);
                for (int j = 0; j < count; j++) {
                    acc[j] += row[j];
                }
            }
            mem.writeFloats(db, from, acc, 0, count);
        });
    }
}
