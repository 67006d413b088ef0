package org.alexnetcuda.kernels.reference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@link KernelMemory} for memories that hold their bytes in Java arrays or buffers: the implementation supplies
 * one method, {@link #bytes}, a view of a byte range behind a pointer, and every typed copy goes through it.
 */
public abstract class ByteBufferMemory implements KernelMemory {

    /**
     * A view of the {@code byteCount} bytes that start {@code byteOffset} bytes past {@code ptr}: position 0,
     * limit byteCount, writes visible in the memory. The byte order is set here, so any order will do.
     *
     * @param elementBytes the size of the elements that will be accessed (1, 2, 4 or 8), for implementations that
     *                     check the alignment of the address as the GPU does
     * @throws RuntimeException of the implementation's choice when the range is not inside the memory behind ptr
     */
    protected abstract ByteBuffer bytes(Object ptr, long byteOffset, int byteCount, int elementBytes);

    /** {@link #bytes} as a function, for a memory that cannot extend this class. */
    @FunctionalInterface
    public interface Views {
        ByteBuffer bytes(Object ptr, long byteOffset, int byteCount, int elementBytes);
    }

    /** A KernelMemory whose views come from {@code views}, e.g. {@code ByteBufferMemory.over(this::view)}. */
    public static ByteBufferMemory over(Views views) {
        return new ByteBufferMemory() {
            @Override
            protected ByteBuffer bytes(Object ptr, long byteOffset, int byteCount, int elementBytes) {
                return views.bytes(ptr, byteOffset, byteCount, elementBytes);
            }
        };
    }

    private ByteBuffer view(Object ptr, long index, int count, int elementBytes) {
        if (index < 0 || count < 0) {
            throw new IndexOutOfBoundsException("elements [" + index + ", " + index + " + " + count + ") of " + ptr);
        }
        int byteCount = Math.toIntExact((long) count * elementBytes);
        return bytes(ptr, Math.multiplyExact(index, elementBytes), byteCount, elementBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void readFloats(Object ptr, long index, float[] dst, int offset, int count) {
        view(ptr, index, count, Float.BYTES).asFloatBuffer().get(dst, offset, count);
    }

    @Override
    public void writeFloats(Object ptr, long index, float[] src, int offset, int count) {
        view(ptr, index, count, Float.BYTES).asFloatBuffer().put(src, offset, count);
    }

    @Override
    public void readInts(Object ptr, long index, int[] dst, int offset, int count) {
        view(ptr, index, count, Integer.BYTES).asIntBuffer().get(dst, offset, count);
    }

    @Override
    public void writeInts(Object ptr, long index, int[] src, int offset, int count) {
        view(ptr, index, count, Integer.BYTES).asIntBuffer().put(src, offset, count);
    }

    @Override
    public void readDoubles(Object ptr, long index, double[] dst, int offset, int count) {
        view(ptr, index, count, Double.BYTES).asDoubleBuffer().get(dst, offset, count);
    }

    @Override
    public void writeDoubles(Object ptr, long index, double[] src, int offset, int count) {
        view(ptr, index, count, Double.BYTES).asDoubleBuffer().put(src, offset, count);
    }

    @Override
    public void readLongs(Object ptr, long index, long[] dst, int offset, int count) {
        view(ptr, index, count, Long.BYTES).asLongBuffer().get(dst, offset, count);
    }

    @Override
    public void writeLongs(Object ptr, long index, long[] src, int offset, int count) {
        view(ptr, index, count, Long.BYTES).asLongBuffer().put(src, offset, count);
    }

    @Override
    public void readShorts(Object ptr, long index, short[] dst, int offset, int count) {
        view(ptr, index, count, Short.BYTES).asShortBuffer().get(dst, offset, count);
    }

    @Override
    public void writeShorts(Object ptr, long index, short[] src, int offset, int count) {
        view(ptr, index, count, Short.BYTES).asShortBuffer().put(src, offset, count);
    }

    @Override
    public void readBytes(Object ptr, long index, byte[] dst, int offset, int count) {
        view(ptr, index, count, 1).get(dst, offset, count);
    }
}
