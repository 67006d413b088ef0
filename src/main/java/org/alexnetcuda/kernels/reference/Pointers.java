package org.alexnetcuda.kernels.reference;

/**
 * Pointer arguments of the references: a null pointer is Java null, to which {@link KernelReference#run} has turned
 * whatever the memory counts as null ({@link KernelMemory#isNull}: DevicePtr.NULL in the simulator).
 */
final class Pointers {
    private Pointers() {
    }

    static boolean isNull(Object ptr) {
        return ptr == null;
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
