package org.alexnetcuda.kernels.reference;

import org.alexnetcuda.tensor.StorageFormat;

/**
 * native-kernels/linear.cu in Java:
 * <pre>
 *   bias_grad_accumulate(float* db, const float* dy, int rows, int cols)
 *       db[j] = db[j] + dy[0][j] + dy[1][j] + ... + dy[rows - 1][j]   for j in [0, cols), dY [rows x cols] row-major
 * </pre>
 * one float addition per row, starting from the existing db[j], top to bottom: the kernel's fixed order, which
 * makes the result deterministic. (The CPU engine's Linear sums each column in double and adds the sum to db once,
 * which can differ in the last float bit; there is no shared Java definition to reuse, so this is the kernel's.)
 * {@code bias_grad_accumulate_half(unsigned short* db, const unsigned short* dy, int rows, int cols, int fmt)} is
 * the same on 16-bit db and dY: the float accumulator starts at the widened db[j], adds the widened elements in the
 * same order and is rounded once when stored ({@link HalfElements}).
 */
public final class LinearReference {
    private LinearReference() {
    }

    public static void biasGradAccumulate(KernelMemory mem, Object db, Object dy, int rows, int cols) {
        accumulate("bias_grad_accumulate", mem, db, dy, rows, cols, StorageFormat.F32);
    }

    public static void biasGradAccumulateHalf(KernelMemory mem, Object db, Object dy, int rows, int cols, int fmt) {
        StorageFormat format = HalfElements.format("bias_grad_accumulate_half", fmt);
        accumulate("bias_grad_accumulate_half", mem, db, dy, rows, cols, format);
    }

    /** On float (F32) or 16-bit elements of the given format. */
    private static void accumulate(String kernel, KernelMemory mem, Object db, Object dy, int rows, int cols,
                                   StorageFormat format) {
        if (cols <= 0) {
            return;
        }
        Pointers.required(db, kernel, "db");
        if (rows > 0) {
            Pointers.required(dy, kernel, "dy");
        }
        float[] acc = new float[Chunks.bufferLength(cols)];
        float[] row = new float[acc.length];
        short[] bits = format.isHalf() ? new short[acc.length] : null;
        // A piece of columns at a time, each row of the piece added in row order: per column the same sequence of
        // float additions as the kernel's thread for that column.
        Chunks.forEach(cols, (from, count) -> {
            if (bits == null) {
                mem.readFloats(db, from, acc, 0, count);
            } else {
                HalfElements.read(mem, db, from, count, format, bits, acc);
            }
            for (int i = 0; i < rows; i++) {
                if (bits == null) {
                    mem.readFloats(dy, (long) i * cols + from, row, 0, count);
                } else {
                    HalfElements.read(mem, dy, (long) i * cols + from, count, format, bits, row);
                }
                for (int j = 0; j < count; j++) {
                    acc[j] += row[j];
                }
            }
            if (bits == null) {
                mem.writeFloats(db, from, acc, 0, count);
            } else {
                HalfElements.write(mem, db, from, count, format, bits, acc);
            }
        });
    }
}
