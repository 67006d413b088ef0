package org.alexnetcuda.kernels;

import java.nio.ByteBuffer;

import org.alexnetcuda.kernels.reference.ByteBufferMemory;
import org.alexnetcuda.kernels.reference.ReferenceKernelLauncher;

/**
 * The {@link HostBuffer}s of the kernel tests as a KernelMemory, so that the Java references run on the same kind
 * of buffers as the host build: a pointer is a HostBuffer, element 0 at its first byte. An access outside the
 * buffer throws IndexOutOfBoundsException.
 */
final class HostBufferMemory extends ByteBufferMemory {
    static final HostBufferMemory INSTANCE = new HostBufferMemory();

    /** Runs the references on HostBuffers: the counterpart of {@link HostKernelLauncher}. */
    static ReferenceKernelLauncher launcher() {
        return new ReferenceKernelLauncher(INSTANCE);
    }

    @Override
    protected ByteBuffer bytes(Object ptr, long byteOffset, int byteCount, int elementBytes) {
        if (!(ptr instanceof HostBuffer b)) {
            throw new IllegalArgumentException("host references take HostBuffer pointers, got " + ptr.getClass());
        }
        byte[] raw = b.raw();
        if (byteOffset > raw.length) {
            throw new IndexOutOfBoundsException("byte " + byteOffset + " of a " + raw.length + "-byte buffer");
        }
        return ByteBuffer.wrap(raw, (int) byteOffset, byteCount).slice();
    }
}
