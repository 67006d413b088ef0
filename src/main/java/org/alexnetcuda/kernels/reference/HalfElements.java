package org.alexnetcuda.kernels.reference;

import org.alexnetcuda.tensor.StorageFormat;

/**
 * The 16-bit tensors of the mixed-precision kernels (native-kernels/common.cuh): raw bits in device memory, of the
 * format the kernel's {@code int fmt} names ({@link StorageFormat#code()}), widened exactly on load and rounded to
 * nearest even on store by {@link StorageFormat#decode}/{@link StorageFormat#encode}, which the kernels' half_load
 * and half_store equal bit for bit.
 */
final class HalfElements {
    /** The requirement of every kernel with 16-bit tensors, as the .cu files spell it. */
    static final String FORMAT_REQUIREMENT = "fmt == STORAGE_F16 || fmt == STORAGE_BF16";

    private HalfElements() {
    }

    /** The 16-bit format of code fmt; traps as the kernel's KERNEL_REQUIRE on any other code (F32 included). */
    static StorageFormat format(String kernel, int fmt) {
        if (fmt == StorageFormat.F16.code()) {
            return StorageFormat.F16;
        }
        if (fmt == StorageFormat.BF16.code()) {
            return StorageFormat.BF16;
        }
        throw new KernelTrapException(kernel, FORMAT_REQUIREMENT, "fmt " + fmt);
    }

    /** Elements [from, from + count) of the 16-bit array at ptr, widened into dst[0 ..]; bits is scratch. */
    static void read(KernelMemory mem, Object ptr, long from, int count, StorageFormat format, short[] bits,
                     float[] dst) {
        mem.readShorts(ptr, from, bits, 0, count);
        for (int i = 0; i < count; i++) {
            dst[i] = format.decode(bits[i]);
        }
    }

    /** src[0 .. count) rounded to the 16-bit array at ptr, elements [from, from + count); bits is scratch. */
    static void write(KernelMemory mem, Object ptr, long from, int count, StorageFormat format, short[] bits,
                      float[] src) {
        for (int i = 0; i < count; i++) {
            bits[i] = format.encode(src[i]);
        }
        mem.writeShorts(ptr, from, bits, 0, count);
    }
}
