package org.alexnetcuda.device.jcuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.alexnetcuda.device.DeviceMemory;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Stream;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Device memory through the driver API.
 *
 * <p>Host copies, both directions, go through one reusable direct (off-heap) staging buffer, in pieces of at most
 * {@link #CHUNK_BYTES}, and each piece is complete before the call moves on: cuMemcpy{HtoD,DtoH}Async on the
 * stream, then cuStreamSynchronize. Why not hand the Java array to the driver, or trust the copy to be done when the
 * Async call returns:
 * <ul>
 * <li>JCuda passes a Java array to the driver as a GetPrimitiveArrayCritical pointer that is released when the JNI
 * call returns (jcuda-common PointerUtils.hpp, ArrayBufferPointerData; JCudaDriver.cpp cuMemcpy*AsyncNative), after
 * which the garbage collector may move the array. A copy still in flight then reads or writes a stale address.</li>
 * <li>For copies between device memory and pageable host memory, the Async calls "might be synchronous with respect
 * to host" (CUDA driver API, "API synchronization behavior", asynchronous section): nothing promises that the host
 * buffer has been read, or written, when the call returns. (That the driver stages a pageable source before it
 * returns is stated for the synchronous cuMemcpyHtoD only.) A direct buffer does not move, and synchronising the
 * stream after each piece is what makes the staging buffer safe to refill and the destination array complete.</li>
 * </ul>
 * The stream synchronisation costs nothing that matters here: host copies happen at set-up, once per epoch (the
 * permutation) and when the host reads results, never inside a training step.
 *
 * <p>Neither direction may be used while a stream is being captured (pageable host memory cannot be part of a
 * graph, and a capturing stream cannot be synchronised); the driver refuses it, and the refusal becomes a
 * DeviceException.
 */
final class JCudaMemory implements DeviceMemory {
    /** The largest piece of one host copy, so that the staging buffer stays small whatever the copy's size. */
    static final int CHUNK_BYTES = 64 << 20;

    private final JCudaContext context;
    private ByteBuffer staging = ByteBuffer.allocateDirect(0);

    JCudaMemory(JCudaContext context) {
        this.context = context;
    }

    /** Writes elements [first, first + count) of a host array into the (cleared) staging buffer. */
    @FunctionalInterface
    private interface Fill {
        void fill(ByteBuffer staging, int first, int count);
    }

    /** Reads {@code count} elements from the staging buffer into a host array from element {@code first}. */
    @FunctionalInterface
    private interface Drain {
        void drain(ByteBuffer staging, int first, int count);
    }

    @Override
    public DevicePtr alloc(long bytes) {
        context.enter();
        CUdeviceptr p = new CUdeviceptr();
        Check.cu(JCudaDriver.cuMemAlloc(p, bytes), "cuMemAlloc", bytes + " bytes");
        return JCudaPointers.address(p);
    }

    @Override
    public void free(DevicePtr ptr) {
        if (ptr == null || ptr.isNull()) {
            return;
        }
        context.enter();
        Check.cu(JCudaDriver.cuMemFree(JCudaPointers.of(ptr)), "cuMemFree", ptr.toString());
    }

    @Override
    public void copyToDevice(DevicePtr dst, float[] src, int offset, int count, Stream stream) {
        checkRange(src.length, offset, count);
        toDevice(dst, count, 4, stream, (b, first, n) -> b.asFloatBuffer().put(src, offset + first, n));
    }

    @Override
    public void copyToDevice(DevicePtr dst, int[] src, int offset, int count, Stream stream) {
        checkRange(src.length, offset, count);
        toDevice(dst, count, 4, stream, (b, first, n) -> b.asIntBuffer().put(src, offset + first, n));
    }

    @Override
    public void copyToDevice(DevicePtr dst, byte[] src, int offset, int count, Stream stream) {
        checkRange(src.length, offset, count);
        toDevice(dst, count, 1, stream, (b, first, n) -> b.put(src, offset + first, n));
    }

    @Override
    public void copyToHost(float[] dst, int offset, int count, DevicePtr src, Stream stream) {
        checkRange(dst.length, offset, count);
        toHost(src, count, 4, stream, (b, first, n) -> b.asFloatBuffer().get(dst, offset + first, n));
    }

    @Override
    public void copyToHost(int[] dst, int offset, int count, DevicePtr src, Stream stream) {
        checkRange(dst.length, offset, count);
        toHost(src, count, 4, stream, (b, first, n) -> b.asIntBuffer().get(dst, offset + first, n));
    }

    @Override
    public void copyToHost(double[] dst, int offset, int count, DevicePtr src, Stream stream) {
        checkRange(dst.length, offset, count);
        toHost(src, count, 8, stream, (b, first, n) -> b.asDoubleBuffer().get(dst, offset + first, n));
    }

    @Override
    public void copyDeviceToDevice(DevicePtr dst, DevicePtr src, long bytes, Stream stream) {
        context.enter();
        Check.cu(JCudaDriver.cuMemcpyDtoDAsync(JCudaPointers.of(dst), JCudaPointers.of(src), bytes,
                JCudaHandles.cu(stream)), "cuMemcpyDtoDAsync", bytes + " bytes " + src + " -> " + dst);
    }

    @Override
    public void setD32(DevicePtr dst, int value, long count, Stream stream) {
        context.enter();
        Check.cu(JCudaDriver.cuMemsetD32Async(JCudaPointers.of(dst), value, count, JCudaHandles.cu(stream)),
                "cuMemsetD32Async", count + " words at " + dst);
    }

    @Override
    public long[] info() {
        context.enter();
        long[] free = new long[1];
        long[] total = new long[1];
        Check.cu(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo", null);
        return new long[] {free[0], total[0]};
    }

    /** The pieces of a copy of {@code count} elements of {@code elementBytes}: {first element, count}, in order. */
    static int[][] chunks(int count, int elementBytes) {
        int per = CHUNK_BYTES / elementBytes;
        int[][] r = new int[(count + per - 1) / per][];
        for (int i = 0; i < r.length; i++) {
            int first = i * per;
            r[i] = new int[] {first, Math.min(per, count - first)};
        }
        return r;
    }

    private synchronized void toDevice(DevicePtr dst, int count, int elementBytes, Stream stream, Fill fill) {
        context.enter();
        CUstream s = JCudaHandles.cu(stream);
        for (int[] c : chunks(count, elementBytes)) {
            long bytes = (long) c[1] * elementBytes;
            DevicePtr to = dst.plus((long) c[0] * elementBytes);
            ByteBuffer b = staging(bytes);
            fill.fill(b, c[0], c[1]);
            Check.cu(JCudaDriver.cuMemcpyHtoDAsync(JCudaPointers.of(to), Pointer.to(b), bytes, s),
                    "cuMemcpyHtoDAsync", bytes + " bytes to " + to);
            Check.cu(JCudaDriver.cuStreamSynchronize(s), "cuStreamSynchronize", "after a copy to the device");
        }
    }

    private synchronized void toHost(DevicePtr src, int count, int elementBytes, Stream stream, Drain drain) {
        context.enter();
        CUstream s = JCudaHandles.cu(stream);
        for (int[] c : chunks(count, elementBytes)) {
            long bytes = (long) c[1] * elementBytes;
            DevicePtr from = src.plus((long) c[0] * elementBytes);
            ByteBuffer b = staging(bytes);
            Check.cu(JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(b), JCudaPointers.of(from), bytes, s),
                    "cuMemcpyDtoHAsync", bytes + " bytes from " + from);
            Check.cu(JCudaDriver.cuStreamSynchronize(s), "cuStreamSynchronize", "after a copy to the host");
            drain.drain(b, c[0], c[1]);
        }
    }

    /**
     * The reusable direct buffer, at least {@code bytes} long (at most {@link #CHUNK_BYTES}), cleared, in native
     * byte order (what the GPU reads and writes). Pointer.to(Buffer) points at the buffer's start whatever its
     * position, so the fill may move the position.
     */
    private ByteBuffer staging(long bytes) {
        if (staging.capacity() < bytes) {
            staging = ByteBuffer.allocateDirect((int) Math.min(CHUNK_BYTES, Math.max(bytes, 2L * staging.capacity())));
        }
        staging.clear();
        return staging.order(ByteOrder.nativeOrder());
    }

    private static void checkRange(int length, int offset, int count) {
        if (offset < 0 || count < 0 || offset > length - count) {
            throw new IndexOutOfBoundsException("elements " + offset + ".." + ((long) offset + count)
                    + " of an array of " + length);
        }
    }
}
