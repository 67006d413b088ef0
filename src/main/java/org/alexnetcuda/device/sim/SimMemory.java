package org.alexnetcuda.device.sim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.DeviceMemory;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * Device memory in Java: every cuMemAlloc is one little-endian heap ByteBuffer at its own device address.
 *
 * <p>Addresses start at 4 GiB, are 256-byte aligned (as cuMemAlloc's are) and only grow: a freed range is never
 * handed out again, and each allocation is followed by an unused gap at least as large as itself (1 MiB at least),
 * so a pointer that runs off the end of one allocation lands in no allocation rather than silently in the next.
 * Fresh memory is filled with 0xFF bytes (a NaN in every float and double, -1 in every int): real device memory
 * is not zeroed, and reading before writing should show up as NaN rather than as a plausible 0.
 *
 * <p>Every access checks that [ptr, ptr + bytes) lies inside one live allocation. The API calls (cuMemcpy*,
 * cuMemsetD32) report a bad range as CUDA_ERROR_INVALID_VALUE, as the driver validates them; accesses made on the
 * device's behalf (cuBLAS, cuDNN, kernels) as CUDA_ERROR_ILLEGAL_ADDRESS, the error the GPU would raise; an access
 * to freed memory is always CUDA_ERROR_INVALID_VALUE ("use after free"). Typed accesses must be aligned to their
 * element size (CUDA_ERROR_MISALIGNED_ADDRESS), as on the GPU.
 *
 * <p>The public accessors below ({@link #floats}, {@link #readFloats}, {@link #writeFloats}, ...) are for the other
 * parts of the simulator and the kernel simulations; they are not API calls and are not counted. One Java buffer
 * per allocation limits one allocation to 2 GiB - 9 bytes (more is CUDA_ERROR_OUT_OF_MEMORY); the total is bounded
 * by the configured capacity and, in practice, by the Java heap (-Xmx), whose exhaustion is also reported as
 * CUDA_ERROR_OUT_OF_MEMORY. Not thread-safe: one host thread drives the device, as in the engine.
 */
public final class SimMemory implements DeviceMemory {
    /** Like an 80 GiB H100. */
    public static final long DEFAULT_CAPACITY = 80L << 30;
    /** The largest Java array, hence the largest single allocation. */
    public static final long MAX_ALLOCATION = Integer.MAX_VALUE - 8;
    static final long ALIGNMENT = 256;
    private static final long FIRST_ADDRESS = 1L << 32;
    private static final long MIN_GAP = 1L << 20;

    private final CallLog calls;
    private final SimStreams streams;
    private final long capacity;
    private final TreeMap<Long, Allocation> byBase = new TreeMap<>();
    private long next = FIRST_ADDRESS;
    private long used;
    private int ids;

    SimMemory(CallLog calls, SimStreams streams, long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.calls = calls;
        this.streams = streams;
        this.capacity = capacity;
    }

    // ---------------------------------------------------------------- the API calls

    @Override
    public DevicePtr alloc(long bytes) {
        calls.enter("cuMemAlloc");
        calls.arguments(bytes);
        streams.prohibitDuringCapture("cuMemAlloc");
        if (bytes <= 0) {
            throw new DeviceException("cuMemAlloc", Status.INVALID_VALUE, "size " + bytes + " bytes");
        }
        long charged = roundUp(bytes, ALIGNMENT);
        if (charged > capacity - used) {
            throw new DeviceException("cuMemAlloc", Status.OUT_OF_MEMORY, bytes + " bytes asked, "
                    + (capacity - used) + " of " + capacity + " free");
        }
        if (bytes > MAX_ALLOCATION) {
            throw new DeviceException("cuMemAlloc", Status.OUT_OF_MEMORY, bytes
                    + " bytes: the simulator backs one allocation with one Java buffer, at most " + MAX_ALLOCATION);
        }
        ByteBuffer data;
        try {
            data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        } catch (OutOfMemoryError e) {
            throw new DeviceException("cuMemAlloc", Status.OUT_OF_MEMORY, bytes
                    + " bytes: the Java heap is exhausted (raise -Xmx), " + used + " bytes allocated");
        }
        Arrays.fill(data.array(), (byte) 0xFF);
        Allocation a = new Allocation(++ids, next, bytes, charged, data);
        byBase.put(a.base, a);
        used += charged;
        next = roundUp(a.base + charged + Math.max(charged, MIN_GAP), ALIGNMENT);
        return new DevicePtr(a.base);
    }

    @Override
    public void free(DevicePtr ptr) {
        calls.enter("cuMemFree");
        calls.arguments(ptr);
        streams.prohibitDuringCapture("cuMemFree");
        Allocation a = ptr == null ? null : byBase.get(ptr.address());
        if (a == null) {
            Allocation around = ptr == null ? null : containing(ptr.address());
            throw new DeviceException("cuMemFree", Status.INVALID_VALUE, ptr + " is not the start of an allocation"
                    + (around == null ? "" : " (it points into " + around + ")"));
        }
        if (!a.live()) {
            throw new DeviceException("cuMemFree", Status.INVALID_VALUE, "double free of " + a);
        }
        a.release();
        used -= a.charged;
    }

    @Override
    public void copyToDevice(DevicePtr dst, float[] src, int offset, int count, Stream stream) {
        hostToDevice(dst, src.length, offset, count, 4, stream, true, b -> b.asFloatBuffer().put(src, offset, count));
    }

    @Override
    public void copyToDevice(DevicePtr dst, int[] src, int offset, int count, Stream stream) {
        hostToDevice(dst, src.length, offset, count, 4, stream, true, b -> b.asIntBuffer().put(src, offset, count));
    }

    @Override
    public void copyToDevice(DevicePtr dst, byte[] src, int offset, int count, Stream stream) {
        hostToDevice(dst, src.length, offset, count, 1, stream, true, b -> b.put(src, offset, count));
    }

    @Override
    public void copyToHost(float[] dst, int offset, int count, DevicePtr src, Stream stream) {
        deviceToHost(src, dst.length, offset, count, 4, stream, true, b -> b.asFloatBuffer().get(dst, offset, count));
    }

    @Override
    public void copyToHost(int[] dst, int offset, int count, DevicePtr src, Stream stream) {
        deviceToHost(src, dst.length, offset, count, 4, stream, true, b -> b.asIntBuffer().get(dst, offset, count));
    }

    @Override
    public void copyToHost(double[] dst, int offset, int count, DevicePtr src, Stream stream) {
        deviceToHost(src, dst.length, offset, count, 8, stream, true, b -> b.asDoubleBuffer().get(dst, offset, count));
    }

    /**
     * cuMemcpyDtoHAsync alone, of bytes: the copy as the driver takes it (the host stand-in's, which sees the C
     * call; its caller synchronises with a call of its own). Done when it returns, as all simulated work.
     */
    public void copyToHostAsync(byte[] dst, int offset, int count, DevicePtr src, Stream stream) {
        deviceToHost(src, dst.length, offset, count, 1, stream, false, b -> b.get(dst, offset, count));
    }

    /** cuMemcpyHtoDAsync alone, of bytes: the host stand-in's, as {@link #copyToHostAsync}. */
    public void copyToDeviceAsync(DevicePtr dst, byte[] src, int offset, int count, Stream stream) {
        hostToDevice(dst, src.length, offset, count, 1, stream, false, b -> b.put(src, offset, count));
    }

    @Override
    public void copyDeviceToDevice(DevicePtr dst, DevicePtr src, long bytes, Stream stream) {
        String call = "cuMemcpyDtoDAsync";
        calls.enter(call);
        calls.arguments(dst, src, bytes, stream);
        if (bytes < 0) {
            throw new DeviceException(call, Status.INVALID_VALUE, "negative size " + bytes);
        }
        if (bytes > 0) {
            check(call, "src", src, bytes, 1, Status.INVALID_VALUE);
            check(call, "dst", dst, bytes, 1, Status.INVALID_VALUE);
            long s = src.address();
            long d = dst.address();
            if (s < d + bytes && d < s + bytes) {
                throw new DeviceException(call, Status.INVALID_VALUE, "overlapping ranges: " + bytes + " bytes from "
                        + src + " to " + dst + " (undefined for cuMemcpy)");
            }
        }
        streams.enqueue(stream, call, () -> {
            if (bytes > 0) {
                ByteBuffer from = slice(src, bytes, 1, "src", Status.INVALID_VALUE);
                slice(dst, bytes, 1, "dst", Status.INVALID_VALUE).put(from);
            }
        });
    }

    @Override
    public void setD32(DevicePtr dst, int value, long count, Stream stream) {
        String call = "cuMemsetD32Async";
        calls.enter(call);
        calls.arguments(dst, value, count, stream);
        if (count < 0) {
            throw new DeviceException(call, Status.INVALID_VALUE, "negative count " + count);
        }
        if (count > 0) {
            check(call, "dst", dst, 4 * count, 4, Status.INVALID_VALUE);
        }
        streams.enqueue(stream, call, () -> {
            if (count > 0) {
                fill(slice(dst, 4 * count, 4, "dst", Status.INVALID_VALUE), value);
            }
        });
    }

    /**
     * Charges {@code bytes} of device memory that the driver takes for itself (a loaded module's code), with
     * CUDA_ERROR_OUT_OF_MEMORY from {@code call} when they are not free. Never given back: modules stay loaded.
     */
    void reserve(String call, long bytes) {
        long charged = roundUp(bytes, ALIGNMENT);
        if (charged > capacity - used) {
            throw new DeviceException(call, Status.OUT_OF_MEMORY, bytes + " bytes for the driver's own use, "
                    + (capacity - used) + " of " + capacity + " free");
        }
        used += charged;
    }

    @Override
    public long[] info() {
        calls.enter("cuMemGetInfo");
        return new long[] {capacity - used, capacity};
    }

    // ---------------------------------------------------------------- accessors for the simulator's parts

    /**
     * A little-endian view of [ptr, ptr + bytes) that reads and writes device memory, after the checks a device
     * access gets (one live allocation, else CUDA_ERROR_ILLEGAL_ADDRESS; freed, CUDA_ERROR_INVALID_VALUE).
     */
    public ByteBuffer bytes(DevicePtr ptr, long bytes) {
        return slice(ptr, bytes, 1, "pointer", Status.ILLEGAL_ADDRESS);
    }

    /**
     * As {@link #bytes(DevicePtr, long)} for an access by elements of {@code alignment} bytes, which the address
     * must be a multiple of (else CUDA_ERROR_MISALIGNED_ADDRESS): the view kernel simulations read and write.
     */
    public ByteBuffer bytes(DevicePtr ptr, long bytes, int alignment) {
        return slice(ptr, bytes, alignment, "kernel pointer", Status.ILLEGAL_ADDRESS);
    }

    /** A view of {@code count} floats at ptr (4-byte aligned). */
    public FloatBuffer floats(DevicePtr ptr, long count) {
        return slice(ptr, 4 * count, 4, "float pointer", Status.ILLEGAL_ADDRESS).asFloatBuffer();
    }

    /** A view of {@code count} int32 values at ptr (4-byte aligned). */
    public IntBuffer ints(DevicePtr ptr, long count) {
        return slice(ptr, 4 * count, 4, "int pointer", Status.ILLEGAL_ADDRESS).asIntBuffer();
    }

    /** A view of {@code count} doubles at ptr (8-byte aligned). */
    public DoubleBuffer doubles(DevicePtr ptr, long count) {
        return slice(ptr, 8 * count, 8, "double pointer", Status.ILLEGAL_ADDRESS).asDoubleBuffer();
    }

    public float[] readFloats(DevicePtr src, int count) {
        float[] a = new float[count];
        floats(src, count).get(a);
        return a;
    }

    public void readFloats(DevicePtr src, float[] dst, int offset, int count) {
        floats(src, count).get(dst, offset, count);
    }

    public void writeFloats(DevicePtr dst, float[] src) {
        floats(dst, src.length).put(src);
    }

    public void writeFloats(DevicePtr dst, float[] src, int offset, int count) {
        floats(dst, count).put(src, offset, count);
    }

    /**
     * {@code count} elements of a 16-bit format (F16 or BF16) at ptr (2-byte aligned), each widened exactly to
     * float: what a cuDNN or cuBLAS call reads from a HALF or BFLOAT16 tensor.
     */
    public float[] readHalfAsFloats(DevicePtr src, int count, StorageFormat format) {
        requireHalf(format);
        ShortBuffer s = slice(src, 2L * count, 2, "16-bit pointer", Status.ILLEGAL_ADDRESS).asShortBuffer();
        float[] a = new float[count];
        for (int i = 0; i < count; i++) {
            a[i] = format.decode(s.get(i));
        }
        return a;
    }

    /** Each value rounded to nearest even in a 16-bit format (F16 or BF16) and stored at dst (2-byte aligned). */
    public void writeFloatsAsHalf(DevicePtr dst, float[] src, StorageFormat format) {
        requireHalf(format);
        ShortBuffer s = slice(dst, 2L * src.length, 2, "16-bit pointer", Status.ILLEGAL_ADDRESS).asShortBuffer();
        for (int i = 0; i < src.length; i++) {
            s.put(i, format.encode(src[i]));
        }
    }

    /** {@code count} elements of any format at ptr as floats: {@link #readFloats} or {@link #readHalfAsFloats}. */
    public float[] readAsFloats(DevicePtr src, int count, StorageFormat format) {
        return format == StorageFormat.F32 ? readFloats(src, count) : readHalfAsFloats(src, count, format);
    }

    /** Stores floats in any format: {@link #writeFloats} or {@link #writeFloatsAsHalf} (rounded once). */
    public void writeFloatsAs(DevicePtr dst, float[] src, StorageFormat format) {
        if (format == StorageFormat.F32) {
            writeFloats(dst, src);
        } else {
            writeFloatsAsHalf(dst, src, format);
        }
    }

    private static void requireHalf(StorageFormat format) {
        if (format == null || !format.isHalf()) {
            throw new IllegalArgumentException("not a 16-bit format: " + format);
        }
    }

    public int[] readInts(DevicePtr src, int count) {
        int[] a = new int[count];
        ints(src, count).get(a);
        return a;
    }

    public void writeInts(DevicePtr dst, int[] src) {
        ints(dst, src.length).put(src);
    }

    public double[] readDoubles(DevicePtr src, int count) {
        double[] a = new double[count];
        doubles(src, count).get(a);
        return a;
    }

    public void writeDoubles(DevicePtr dst, double[] src) {
        doubles(dst, src.length).put(src);
    }

    public byte[] readBytes(DevicePtr src, int count) {
        byte[] a = new byte[count];
        bytes(src, count).get(a);
        return a;
    }

    public void writeBytes(DevicePtr dst, byte[] src) {
        bytes(dst, src.length).put(src);
    }

    public float getFloat(DevicePtr ptr) {
        return floats(ptr, 1).get(0);
    }

    public void putFloat(DevicePtr ptr, float value) {
        floats(ptr, 1).put(0, value);
    }

    public int getInt(DevicePtr ptr) {
        return ints(ptr, 1).get(0);
    }

    public void putInt(DevicePtr ptr, int value) {
        ints(ptr, 1).put(0, value);
    }

    /** Sets every byte of [ptr, ptr + bytes) to 0xFF (NaN floats), e.g. to scribble over a workspace. */
    public void poison(DevicePtr ptr, long bytes) {
        ByteBuffer b = bytes(ptr, bytes);
        Arrays.fill(b.array(), b.arrayOffset(), b.arrayOffset() + b.remaining(), (byte) 0xFF);
    }

    /**
     * Checks a device access of [ptr, ptr + bytes) without performing it, so that a call can fail when it is made
     * (or captured) rather than when its work runs. {@code alignment} is the element size.
     */
    public void checkAccess(String operand, DevicePtr ptr, long bytes, int alignment) {
        check(calls.current(), operand, ptr, bytes, alignment, Status.ILLEGAL_ADDRESS);
    }

    /** Bytes charged to live allocations. */
    public long usedBytes() {
        return used;
    }

    public long capacity() {
        return capacity;
    }

    public int liveAllocations() {
        int n = 0;
        for (Allocation a : byBase.values()) {
            n += a.live() ? 1 : 0;
        }
        return n;
    }

    /**
     * Where ptr points, independent of addresses: {@code null}, or the size of the allocation it points into and
     * the offset, {@code [4194304 B]+1024} (a raw address where it points into none). Two runs that allocate the
     * same sizes name the same places alike.
     */
    public String position(DevicePtr ptr) {
        if (ptr == null || ptr.isNull()) {
            return "null";
        }
        Allocation a = containing(ptr.address());
        return a == null ? ptr.toString() : "[" + a.size + " B]+" + (ptr.address() - a.base);
    }

    /** The allocation ptr points into (live or freed), for messages; "no allocation" otherwise. */
    public String describe(DevicePtr ptr) {
        Allocation a = containing(ptr.address());
        return a == null ? ptr + " is in no allocation" : ptr + " is at offset " + (ptr.address() - a.base) + " of " + a;
    }

    // ---------------------------------------------------------------- internals

    /** Drops every buffer: cuCtxDestroy frees all device memory. */
    void releaseAll() {
        for (Map.Entry<Long, Allocation> e : byBase.entrySet()) {
            e.getValue().release();
        }
        used = 0;
    }

    @FunctionalInterface
    private interface BufferOp {
        void apply(ByteBuffer b);
    }

    /**
     * cuMemcpyHtoDAsync, and cuStreamSynchronize when {@code synchronize} (the device API's copy, as JCudaMemory
     * makes it).
     */
    private void hostToDevice(DevicePtr dst, int length, int offset, int count, int elem, Stream stream,
                              boolean synchronize, BufferOp op) {
        String call = "cuMemcpyHtoDAsync";
        enterCopy(call, synchronize, dst, (long) count * elem, stream);
        // Capture could record this only as a memcpy node from pinned host memory; the engine must not copy from
        // the host inside a step, so the simulator refuses it outright.
        streams.prohibitDuringCapture(call);
        checkHost(call, length, offset, count);
        check(call, "dst", dst, (long) elem * count, 1, Status.INVALID_VALUE);
        streams.enqueue(stream, call, () -> {
            if (count > 0) {
                op.apply(slice(dst, (long) elem * count, 1, "dst", Status.INVALID_VALUE));
            }
        });
    }

    /**
     * Enters a host copy, {@code call} and, when {@code synchronize}, cuStreamSynchronize; the recording has what the
     * driver sees: the device pointer, the byte count and the stream.
     */
    private void enterCopy(String call, boolean synchronize, DevicePtr device, long bytes, Stream stream) {
        if (synchronize) {
            calls.enter(call, "cuStreamSynchronize");
            calls.arguments(device, bytes, stream);
            calls.arguments(stream);
        } else {
            calls.enter(call);
            calls.arguments(device, bytes, stream);
        }
    }

    /** cuMemcpyDtoHAsync, and cuStreamSynchronize when {@code synchronize}, as {@link #hostToDevice}. */
    private void deviceToHost(DevicePtr src, int length, int offset, int count, int elem, Stream stream,
                              boolean synchronize, BufferOp op) {
        String call = "cuMemcpyDtoHAsync";
        enterCopy(call, synchronize, src, (long) count * elem, stream);
        streams.prohibitDuringCapture(call);
        checkHost(call, length, offset, count);
        check(call, "src", src, (long) elem * count, 1, Status.INVALID_VALUE);
        streams.enqueue(stream, call, () -> {
            if (count > 0) {
                op.apply(slice(src, (long) elem * count, 1, "src", Status.INVALID_VALUE));
            }
        });
        // The work above ran when issued (no capture is active, checked above), so the stream is synchronised.
    }

    private static void checkHost(String call, int length, int offset, int count) {
        if (offset < 0 || count < 0 || (long) offset + count > length) {
            throw new DeviceException(call, Status.INVALID_VALUE, "host range [" + offset + ", " + offset + " + "
                    + count + ") outside an array of " + length);
        }
    }

    private ByteBuffer slice(DevicePtr ptr, long bytes, int alignment, String operand, String rangeStatus) {
        Allocation a = check(calls.accessName(), operand, ptr, bytes, alignment, rangeStatus);
        int from = (int) (ptr.address() - a.base);
        return a.data().slice(from, (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The live allocation holding [ptr, ptr + bytes), or the error the access deserves. */
    private Allocation check(String call, String operand, DevicePtr ptr, long bytes, int alignment, String rangeStatus) {
        if (ptr == null || ptr.isNull()) {
            throw new DeviceException(call, rangeStatus, operand + " is the null pointer");
        }
        if (bytes < 0) {
            throw new DeviceException(call, Status.INVALID_VALUE, operand + ": negative size " + bytes);
        }
        long address = ptr.address();
        if (alignment > 1 && address % alignment != 0) {
            // The driver's calls reject a misaligned argument as an invalid value; the GPU faults on the access.
            String status = Status.INVALID_VALUE.equals(rangeStatus) ? Status.INVALID_VALUE : Status.MISALIGNED_ADDRESS;
            throw new DeviceException(call, status, operand + " " + ptr + " is not " + alignment + "-byte aligned");
        }
        Allocation a = containing(address);
        if (a == null) {
            Map.Entry<Long, Allocation> below = byBase.floorEntry(address);
            throw new DeviceException(call, rangeStatus, operand + " " + ptr + " (" + bytes + " bytes) points into no "
                    + "allocation" + (below == null ? "" : "; nearest below: " + below.getValue()));
        }
        if (!a.live()) {
            throw new DeviceException(call, Status.INVALID_VALUE, "use after free: " + operand + " [" + ptr + ", +"
                    + bytes + ") in " + a);
        }
        if (bytes > a.end() - address) {
            throw new DeviceException(call, rangeStatus, operand + " [" + ptr + ", +" + bytes + ") runs "
                    + (address + bytes - a.end()) + " bytes past the end of " + a);
        }
        return a;
    }

    private Allocation containing(long address) {
        Map.Entry<Long, Allocation> e = byBase.floorEntry(address);
        return e != null && e.getValue().contains(address) ? e.getValue() : null;
    }

    /** Sets every 32-bit word of b to value; byte-uniform values (0, -1) go through Arrays.fill. */
    private static void fill(ByteBuffer b, int value) {
        byte low = (byte) value;
        if (value == (low & 0xFF) * 0x01010101) {
            Arrays.fill(b.array(), b.arrayOffset(), b.arrayOffset() + b.remaining(), low);
            return;
        }
        IntBuffer ib = b.asIntBuffer();
        int[] block = new int[Math.min(ib.remaining(), 4096)];
        Arrays.fill(block, value);
        while (ib.hasRemaining()) {
            ib.put(block, 0, Math.min(block.length, ib.remaining()));
        }
    }

    static long roundUp(long x, long to) {
        return (x + to - 1) / to * to;
    }
}
