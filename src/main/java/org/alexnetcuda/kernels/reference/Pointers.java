package org.alexnetcuda.kernels.reference;

import org.alexnetcuda.device.DevicePtr;

/**
 * Pointer arguments of the references: a null pointer is Java null or {@link DevicePtr#NULL} (any DevicePtr of
 * address 0), as the typed launchers and the device API pass them.
 */
final class Pointers {
    private Pointers() {
    }

    static boolean isNull(Object ptr) {
        return ptr == null || (ptr instanceof DevicePtr d && d.isNull());
    }

    /**
     * ptr itself, for a pointer the kernel dereferences. A null one would fault on the GPU (an illegal address);
     * the reference refuses it up front.
     */
    static Object required(Object ptr, String kernel, String param) {
        if (isNull(ptr)) {
            throw new IllegalArgumentException(kernel + ": " + param + " is a null pointer");
        }
        return ptr;
    }
}
