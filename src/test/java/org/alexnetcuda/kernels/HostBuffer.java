package org.alexnetcuda.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A "device" buffer for {@link HostKernelLauncher}: little-endian bytes that the host kernel-runner reads as
 * a file, passes to the kernel as a pointer and writes back. Pass the same HostBuffer twice for an in-place launch.
 */
final class HostBuffer {
    private byte[] bytes;

    private HostBuffer(byte[] bytes) {
        this.bytes = bytes;
    }

    static HostBuffer zeros(int byteCount) {
        return new HostBuffer(new byte[byteCount]);
    }

    static HostBuffer bytes(byte[] b) {
        return new HostBuffer(b.clone());
    }

    static HostBuffer floats(float... v) {
        ByteBuffer b = le(v.length * 4L);
        b.asFloatBuffer().put(v);
        return new HostBuffer(b.array());
    }

    static HostBuffer shorts(short... v) {
        ByteBuffer b = le(v.length * 2L);
        b.asShortBuffer().put(v);
        return new HostBuffer(b.array());
    }

    static HostBuffer ints(int... v) {
        ByteBuffer b = le(v.length * 4L);
        b.asIntBuffer().put(v);
        return new HostBuffer(b.array());
    }

    static HostBuffer longs(long... v) {
        ByteBuffer b = le(v.length * 8L);
        b.asLongBuffer().put(v);
        return new HostBuffer(b.array());
    }

    static HostBuffer doubles(double... v) {
        ByteBuffer b = le(v.length * 8L);
        b.asDoubleBuffer().put(v);
        return new HostBuffer(b.array());
    }

    /** An independent buffer with the same bytes, e.g. for running a kernel and its reference on the same input. */
    HostBuffer copy() {
        return new HostBuffer(bytes.clone());
    }

    byte[] raw() {
        return bytes;
    }

    void setRaw(byte[] b) {
        if (b.length != bytes.length) {
            throw new IllegalStateException("buffer changed size: " + bytes.length + " -> " + b.length);
        }
        bytes = b;
    }

    float[] floats() {
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    short[] shorts() {
        short[] v = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(v);
        return v;
    }

    int[] ints() {
        int[] v = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
        return v;
    }

    long[] longs() {
        long[] v = new long[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
        return v;
    }

    double[] doubles() {
        double[] v = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
        return v;
    }

    private static ByteBuffer le(long size) {
        return ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
