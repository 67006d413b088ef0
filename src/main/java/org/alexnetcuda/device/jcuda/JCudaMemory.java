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
 * <p>Host to device: the Java array is copied into a direct (off-heap) buffer and cuMemcpyHtoDAsync reads
 * that. For pageable host memory the driver stages the source into pinned memory before the call returns
 * (CUDA driver API, "API synchronization behavior"), so the buffer may be reused at once; going through a
 * direct buffer keeps the JNI from holding the Java array in a GetPrimitiveArrayCritical region (which blocks
 * the garbage collector) while the driver possibly waits for the stream.
 *
 * <p>Device to host: the stream is synchronised first, then cuMemcpyDtoHAsync copies into the Java array
 * (JCuda pins it with GetPrimitiveArrayCritical for the call). For a pageable destination the call returns
 * only once the copy is complete (same page), and after the first synchronisation it has nothing else to wait
 * for, so the critical region is short. The final cuStreamSynchronize keeps the interface's promise.
 *
 * <p>Neither direction may be used while a stream is being captured (pageable host memory cannot be part of a
 * graph); the driver refuses it, and the refusal becomes a DeviceException.
 */
final class JCudaMemory implements DeviceMemory {
    private final JCudaContext context;
    private ByteBuffer staging = ByteBuffer.allocateDirect(0);

    JCudaMemory(JCudaContext context) {
        this.context = context;
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
        synchronized (this) {
            ByteBuffer b = staging(4L * count);
            b.asFloatBuffer().put(src, offset, count);
            htod(dst, b, 4L * count, stream);
        }
    }

    @Override
    public void copyToDevice(DevicePtr dst, int[] src, int offset, int count, Stream stream) {
        checkRange(src.length, offset, count);
        synchronized (this) {
            ByteBuffer b = staging(4L * count);
            b.asIntBuffer().put(src, offset, count);
            htod(dst, b, 4L * count, stream);
        }
    }

    @Override
    public void copyToDevice(DevicePtr dst, byte[] src, int offset, int count, Stream stream) {
        checkRange(src.length, offset, count);
        synchronized (this) {
            ByteBuffer b = staging(count);
            b.put(src, offset, count);
            htod(dst, b, count, stream);
        }
    }

    @Override
    public void copyToHost(float[] dst, int offset, int count, DevicePtr src, Stream stream) {
        checkRange(dst.length, offset, count);
        dtoh(Pointer.to(dst).withByteOffset(4L * offset), src, 4L * count, stream);
    }

    @Override
    public void copyToHost(int[] dst, int offset, int count, DevicePtr src, Stream stream) {
        checkRange(dst.length, offset, count);
        dtoh(Pointer.to(dst).withByteOffset(4L * offset), src, 4L * count, stream);
    }

    @Override
    public void copyToHost(double[] dst, int offset, int count, DevicePtr src, Stream stream) {
        checkRange(dst.length, offset, count);
        dtoh(Pointer.to(dst).withByteOffset(8L * offset), src, 8L * count, stream);
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

    /** The reusable direct buffer, at least {@code bytes} long, cleared, native byte order (what the GPU reads). */
    private ByteBuffer staging(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a host copy of " + bytes + " bytes is over 2 GiB");
        }
        if (staging.capacity() < bytes) {
            long grown = Math.min(Integer.MAX_VALUE, Math.max(bytes, 2L * staging.capacity()));
            staging = ByteBuffer.allocateDirect((int) grown);
        }
        staging.clear();
        return staging.order(ByteOrder.nativeOrder());
    }

    private void htod(DevicePtr dst, ByteBuffer src, long bytes, Stream stream) {
        context.enter();
        Check.cu(JCudaDriver.cuMemcpyHtoDAsync(JCudaPointers.of(dst), Pointer.to(src), bytes,
                JCudaHandles.cu(stream)), "cuMemcpyHtoDAsync", bytes + " bytes to " + dst);
    }

    private void dtoh(Pointer dst, DevicePtr src, long bytes, Stream stream) {
        context.enter();
        CUstream s = JCudaHandles.cu(stream);
        Check.cu(JCudaDriver.cuStreamSynchronize(s), "cuStreamSynchronize", "before a copy to the host");
        Check.cu(JCudaDriver.cuMemcpyDtoHAsync(dst, JCudaPointers.of(src), bytes, s), "cuMemcpyDtoHAsync",
                bytes + " bytes from " + src);
        Check.cu(JCudaDriver.cuStreamSynchronize(s), "cuStreamSynchronize", "after a copy to the host");
    }

    private static void checkRange(int length, int offset, int count) {
        if (offset < 0 || count < 0 || offset > length - count) {
            throw new IndexOutOfBoundsException("elements " + offset + ".." + ((long) offset + count)
                    + " of an array of " + length);
        }
    }
}
