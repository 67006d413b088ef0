package org.alexnetcuda.device.jcuda;

import org.alexnetcuda.device.DevicePtr;

import jcuda.driver.CUdeviceptr;

/**
 * {@link DevicePtr} (a plain address) to and from JCuda's {@link CUdeviceptr}.
 *
 * <p>JCuda's JNI passes a CUdeviceptr to the driver as nativePointer + byteOffset (jcuda-common PointerUtils
 * getPointer / NativePointerData), and CUdeviceptr.withByteOffset is public, so an address becomes a pointer
 * with nativePointer 0 and byteOffset = address, without reflection. The other way, the address a driver call
 * wrote into a CUdeviceptr (cuMemAlloc sets its nativePointer) is only readable through the protected
 * getNativePointer / getByteOffset: a small subclass copies the pointer (protected copy constructor) to read it.
 */
public final class JCudaPointers {
    /** A CUdeviceptr whose nativePointer is 0: the base every address is an offset from. */
    private static final CUdeviceptr ZERO = new CUdeviceptr();

    private JCudaPointers() {
    }

    /** The CUdeviceptr for an address, for any JCuda call that takes a device pointer (also a kernel launcher). */
    public static CUdeviceptr of(DevicePtr ptr) {
        return ptr.isNull() ? new CUdeviceptr() : ZERO.withByteOffset(ptr.address());
    }

    /** The address a CUdeviceptr stands for (what the JNI would pass to the driver). */
    static DevicePtr address(CUdeviceptr p) {
        return new Readable(p).address();
    }

    /** Copies another pointer's value through the protected copy constructor, to read it. */
    private static final class Readable extends CUdeviceptr {
        Readable(CUdeviceptr other) {
            super(other);
        }

        DevicePtr address() {
            return new DevicePtr(getNativePointer() + getByteOffset());
        }
    }
}
