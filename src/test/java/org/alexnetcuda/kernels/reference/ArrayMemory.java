package org.alexnetcuda.kernels.reference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

import org.alexnetcuda.device.DevicePtr;

/**
 * A small device memory for the tests of this package: byte arrays at made-up DevicePtr addresses, so pointers can
 * be offset into an allocation as the engine does. It implements {@link KernelMemory} directly, one element at a
 * time, as the simplest possible implementation would; every access is bounds-checked against its allocation.
 */
final class ArrayMemory implements KernelMemory {
    private final TreeMap<Long, ByteBuffer> allocations = new TreeMap<>();
    private long next = 0x1000;

    /** Java null and DevicePtr.NULL (any DevicePtr of address 0), as the simulator counts them. */
    @Override
    public boolean isNull(Object ptr) {
        return ptr == null || (ptr instanceof DevicePtr d && d.isNull());
    }

    DevicePtr alloc(int bytes) {
        DevicePtr p = new DevicePtr(next);
        allocations.put(next, ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN));
        next += (bytes + 0xFFF) & ~0xFFFL;  // page-aligned, with a gap so neighbours are not contiguous
        next += 0x1000;
        return p;
    }

    DevicePtr floats(float... v) {
        DevicePtr p = alloc(4 * v.length);
        writeFloats(p, 0, v, 0, v.length);
        return p;
    }

    DevicePtr bytes(byte[] v) {
        DevicePtr p = alloc(v.length);
        buffer(p, 0, v.length).put(v);
        return p;
    }

    float[] floats(DevicePtr p, int count) {
        float[] v = new float[count];
        readFloats(p, 0, v, 0, count);
        return v;
    }

    /** The allocation behind [address, address + bytes), and the position of address in it. */
    private ByteBuffer buffer(Object ptr, long byteOffset, long bytes) {
        long address = ((DevicePtr) ptr).address() + byteOffset;
        Map.Entry<Long, ByteBuffer> a = allocations.floorEntry(address);
        if (a == null || address + bytes > a.getKey() + a.getValue().capacity()) {
            throw new IndexOutOfBoundsException("[0x" + Long.toHexString(address) + ", +" + bytes + ") is not allocated");
        }
        return a.getValue().duplicate().order(ByteOrder.LITTLE_ENDIAN).position((int) (address - a.getKey()));
    }

    @Override
    public void readFloats(Object ptr, long index, float[] dst, int offset, int count) {
        ByteBuffer b = buffer(ptr, 4 * index, 4L * count);
        for (int i = 0; i < count; i++) {
            dst[offset + i] = b.getFloat();
        }
    }

    @Override
    public void writeFloats(Object ptr, long index, float[] src, int offset, int count) {
        ByteBuffer b = buffer(ptr, 4 * index, 4L * count);
        for (int i = 0; i < count; i++) {
            b.putFloat(src[offset + i]);
        }
    }

    @Override
    public void readInts(Object ptr, long index, int[] dst, int offset, int count) {
        ByteBuffer b = buffer(ptr, 4 * index, 4L * count);
        for (int i = 0; i < count; i++) {
            dst[offset + i] = b.getInt();
        }
    }

    @Override
    public void writeInts(Object ptr, long index, int[] src, int offset, int count) {
        ByteBuffer b = buffer(ptr, 4 * index, 4L * count);
        for (int i = 0; i < count; i++) {
            b.putInt(src[offset + i]);
        }
    }

    @Override
    public void readDoubles(Object ptr, long index, double[] dst, int offset, int count) {
        ByteBuffer b = buffer(ptr, 8 * index, 8L * count);
        for (int i = 0; i < count; i++) {
            dst[offset + i] = b.getDouble();
        }
    }

    @Override
    public void writeDoubles(Object ptr, long index, double[] src, int offset, int count) {
        ByteBuffer b = buffer(ptr, 8 * index, 8L * count);
        for (int i = 0; i < count; i++) {
            b.putDouble(src[offset + i]);
        }
    }

    @Override
    public void readLongs(Object ptr, long index, long[] dst, int offset, int count) {
        ByteBuffer b = buffer(ptr, 8 * index, 8L * count);
        for (int i = 0; i < count; i++) {
            dst[offset + i] = b.getLong();
        }
    }

    @Override
    public void writeLongs(Object ptr, long index, long[] src, int offset, int count) {
        ByteBuffer b = buffer(ptr, 8 * index, 8L * count);
        for (int i = 0; i < count; i++) {
            b.putLong(src[offset + i]);
        }
    }

    @Override
    public void readShorts(Object ptr, long index, short[] dst, int offset, int count) {
        ByteBuffer b = buffer(ptr, 2 * index, 2L * count);
        for (int i = 0; i < count; i++) {
            dst[offset + i] = b.getShort();
        }
    }

    @Override
    public void writeShorts(Object ptr, long index, short[] src, int offset, int count) {
        ByteBuffer b = buffer(ptr, 2 * index, 2L * count);
        for (int i = 0; i < count; i++) {
            b.putShort(src[offset + i]);
        }
    }

    @Override
    public void readBytes(Object ptr, long index, byte[] dst, int offset, int count) {
        buffer(ptr, index, count).get(dst, offset, count);
    }
}
