package org.alexnetcuda.kernels.reference;

/**
 * Device memory as the kernel references see it: typed bulk copies between a device array and a Java array.
 *
 * <p>A pointer is whatever object the implementation understands (a {@code DevicePtr} in the simulator, a test's
 * buffer object); the references never look inside it and never pass a null pointer here (they check the
 * kernel's pointer arguments first, with {@link #isNull}). {@code index} counts elements of the accessed type from the pointer: the
 * bytes of element {@code index} of a float array start at address {@code ptr + 4 * index}, of a double or long
 * array at {@code ptr + 8 * index}, of a 16-bit array (the raw bits of fp16 or bf16 elements of mixed precision)
 * at {@code ptr + 2 * index}, of a byte array at {@code ptr + index}. All values are little-endian, as on
 * every CUDA device. Fields of a C struct are reached the same way: the float at byte 16 of the Adam state is
 * float element 4.
 *
 * <p>Why bulk copies and not one call per element: an implementation resolves the pointer (finds its allocation,
 * checks bounds and alignment) once per call, and the references work on Java arrays anyway, because the CPU
 * engine's arithmetic they reuse is written on arrays. They copy in bounded chunks, so no call moves more than a
 * few megabytes. An access outside the memory behind a pointer is a kernel bug; implementations throw
 * (the simulator as CUDA_ERROR_ILLEGAL_ADDRESS), and nothing is copied by the failing call.
 *
 * <p>Only the accesses the project's kernels make are here: no kernel writes bytes. {@link ByteBufferMemory}
 * implements all of them over a single method for memories that can lend a {@code ByteBuffer} view.
 */
public interface KernelMemory {

    /**
     * Whether ptr is a null pointer: Java null, and whatever else the implementation counts as address 0 (the
     * simulator's DevicePtr.NULL). {@link KernelReference#run} passes such arguments to the references as null.
     */
    default boolean isNull(Object ptr) {
        return ptr == null;
    }

    /** Copies count float32 values from elements [index, index + count) of ptr into dst[offset ..]. */
    void readFloats(Object ptr, long index, float[] dst, int offset, int count);

    /** Copies src[offset .. offset + count) to float32 elements [index, index + count) of ptr. */
    void writeFloats(Object ptr, long index, float[] src, int offset, int count);

    /** Copies count int32 values from elements [index, index + count) of ptr into dst[offset ..]. */
    void readInts(Object ptr, long index, int[] dst, int offset, int count);

    /** Copies src[offset .. offset + count) to int32 elements [index, index + count) of ptr. */
    void writeInts(Object ptr, long index, int[] src, int offset, int count);

    /** Copies count float64 values from elements [index, index + count) of ptr into dst[offset ..]. */
    void readDoubles(Object ptr, long index, double[] dst, int offset, int count);

    /** Copies src[offset .. offset + count) to float64 elements [index, index + count) of ptr. */
    void writeDoubles(Object ptr, long index, double[] src, int offset, int count);

    /** Copies count 64-bit integers (C long long or unsigned long long, as bits) from ptr into dst[offset ..]. */
    void readLongs(Object ptr, long index, long[] dst, int offset, int count);

    /** Copies src[offset .. offset + count) to 64-bit integer elements [index, index + count) of ptr. */
    void writeLongs(Object ptr, long index, long[] src, int offset, int count);

    /**
     * Copies count 16-bit values (C unsigned short, as Java's signed bits: the raw bits of fp16 or bf16 elements)
     * from elements [index, index + count) of ptr into dst[offset ..].
     */
    void readShorts(Object ptr, long index, short[] dst, int offset, int count);

    /** Copies src[offset .. offset + count) to 16-bit elements [index, index + count) of ptr. */
    void writeShorts(Object ptr, long index, short[] src, int offset, int count);

    /** Copies count bytes (C unsigned char, as Java's signed bits) from bytes [index, index + count) of ptr. */
    void readBytes(Object ptr, long index, byte[] dst, int offset, int count);

    // Single elements, for the scalars kernels read through pointers (a step count, a batch start, a state field).

    default float getFloat(Object ptr, long index) {
        float[] v = new float[1];
        readFloats(ptr, index, v, 0, 1);
        return v[0];
    }

    default void putFloat(Object ptr, long index, float value) {
        writeFloats(ptr, index, new float[] {value}, 0, 1);
    }

    default int getInt(Object ptr, long index) {
        int[] v = new int[1];
        readInts(ptr, index, v, 0, 1);
        return v[0];
    }

    default void putInt(Object ptr, long index, int value) {
        writeInts(ptr, index, new int[] {value}, 0, 1);
    }

    default double getDouble(Object ptr, long index) {
        double[] v = new double[1];
        readDoubles(ptr, index, v, 0, 1);
        return v[0];
    }

    default long getLong(Object ptr, long index) {
        long[] v = new long[1];
        readLongs(ptr, index, v, 0, 1);
        return v[0];
    }

    default void putLong(Object ptr, long index, long value) {
        writeLongs(ptr, index, new long[] {value}, 0, 1);
    }

    /** Byte {@code index} of ptr as C unsigned char: 0..255. */
    default int getUnsignedByte(Object ptr, long index) {
        byte[] v = new byte[1];
        readBytes(ptr, index, v, 0, 1);
        return v[0] & 0xFF;
    }
}
