package org.alexnetcuda.device;

import org.alexnetcuda.device.Handles.Stream;

/**
 * Device memory: cuMemAlloc, cuMemFree, cuMemcpy{HtoD,DtoH,DtoD}Async, cuMemsetD32Async, cuMemGetInfo.
 * Host arrays are copied from/to element {@code offset} for {@code count} elements, in stream order; both
 * directions are done with the host array when the call returns: the host may change the source array of a copy to
 * the device at once, and may read the destination array of a copy to the host (the implementation synchronises
 * the stream as needed).
 */
public interface DeviceMemory {
    /** cuMemAlloc. */
    DevicePtr alloc(long bytes);

    /** cuMemFree. */
    void free(DevicePtr ptr);

    /** cuMemcpyHtoDAsync of float32 values. */
    void copyToDevice(DevicePtr dst, float[] src, int offset, int count, Stream stream);

    /** cuMemcpyHtoDAsync of int32 values. */
    void copyToDevice(DevicePtr dst, int[] src, int offset, int count, Stream stream);

    /** cuMemcpyHtoDAsync of bytes. */
    void copyToDevice(DevicePtr dst, byte[] src, int offset, int count, Stream stream);

    /** cuMemcpyDtoHAsync of float32 values, then cuStreamSynchronize. */
    void copyToHost(float[] dst, int offset, int count, DevicePtr src, Stream stream);

    /** cuMemcpyDtoHAsync of int32 values, then cuStreamSynchronize. */
    void copyToHost(int[] dst, int offset, int count, DevicePtr src, Stream stream);

    /** cuMemcpyDtoHAsync of float64 values, then cuStreamSynchronize. */
    void copyToHost(double[] dst, int offset, int count, DevicePtr src, Stream stream);

    /** cuMemcpyDtoDAsync. */
    void copyDeviceToDevice(DevicePtr dst, DevicePtr src, long bytes, Stream stream);

    /** cuMemsetD32Async: {@code count} 32-bit words set to {@code value}. */
    void setD32(DevicePtr dst, int value, long count, Stream stream);

    /** cuMemGetInfo: {free, total} bytes. */
    long[] info();
}
