package org.alexnetcuda.device;

/**
 * A device address (CUdeviceptr): a plain 64-bit value, so pointer arithmetic into a planned pool is an addition.
 * The address 0 is the null pointer.
 */
public record DevicePtr(long address) {
    public static final DevicePtr NULL = new DevicePtr(0);

    /** This address plus {@code bytes}. */
    public DevicePtr plus(long bytes) {
        return new DevicePtr(address + bytes);
    }

    /** This address plus {@code count} float32 elements. */
    public DevicePtr plusFloats(long count) {
        return plus(4 * count);
    }

    public boolean isNull() {
        return address == 0;
    }

    @Override
    public String toString() {
        return String.format("0x%x", address);
    }
}
