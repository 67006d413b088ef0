package org.alexnetcuda.device.jcuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles;
import org.junit.jupiter.api.Test;

import jcuda.driver.CUdeviceptr;

/** DevicePtr to CUdeviceptr and back, without a GPU (the classes involved are plain Java). */
class JCudaPointersTest {
    @Test
    void addressRoundTrip() {
        for (long a : new long[] {0L, 0x1000L, 0x7f12_3456_7800L, 0x7f12_3456_7800L + 4 * 1234}) {
            DevicePtr p = new DevicePtr(a);
            assertEquals(p, JCudaPointers.address(JCudaPointers.of(p)));
        }
    }

    @Test
    void offsetsAddUp() {
        DevicePtr base = new DevicePtr(0x7000_0000_0000L);
        CUdeviceptr cu = JCudaPointers.of(base).withByteOffset(256);
        assertEquals(base.plus(256), JCudaPointers.address(cu));
        assertEquals(base.plusFloats(64), JCudaPointers.address(JCudaPointers.of(base.plusFloats(64))));
    }

    @Test
    void nullStreamIsTheDefaultStreamNotAJavaNull() {
        assertEquals("CUstream[nativePointer=0x0]", JCudaHandles.cu(null).toString());
    }

    @Test
    void foreignHandlesAreRefusedClearly() {
        Handles.Stream foreign = new Handles.Stream() {
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JCudaHandles.cu(foreign));
        assertEquals(true, e.getMessage().startsWith("expected a Stream made by this JCuda device"), e.getMessage());
    }
}
