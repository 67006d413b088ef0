package org.alexnetcuda.device.sim;

import java.nio.ByteBuffer;

/**
 * One cuMemAlloc: its address range and the Java buffer behind it. A freed allocation keeps its range (addresses
 * are never reused) but drops its buffer, so a later access is recognised as a use after free.
 */
final class Allocation {
    final int id;
    final long base;
    final long size;
    /** What the capacity is charged: the size rounded up to the 256-byte allocation granularity. */
    final long charged;
    /** Little-endian, position 0, capacity == size; null once freed. */
    private ByteBuffer data;

    Allocation(int id, long base, long size, long charged, ByteBuffer data) {
        this.id = id;
        this.base = base;
        this.size = size;
        this.charged = charged;
        this.data = data;
    }

    boolean live() {
        return data != null;
    }

    long end() {
        return base + size;
    }

    boolean contains(long address) {
        return address >= base && address < end();
    }

    ByteBuffer data() {
        return data;
    }

    void release() {
        data = null;
    }

    @Override
    public String toString() {
        return String.format("allocation #%d [0x%x, 0x%x) of %d bytes%s", id, base, end(), size,
                live() ? "" : ", freed");
    }
}
