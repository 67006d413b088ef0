package org.alexnetcuda.device.jcuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jcuda.NativePointerObject;
import jcuda.Pointer;

/**
 * Host values handed to a CUDA call by address (alpha and beta of cuBLAS and cuDNN, cuLaunchKernel's argument
 * values), kept in direct buffers made once.
 *
 * <p>Why not {@code Pointer.to(new float[] {alpha})}: JCuda passes a Java array by pinning it with JNI's
 * GetPrimitiveArrayCritical for the whole native call (jcuda-common PointerUtils.hpp, ArrayBufferPointerData), and
 * inside such a region the JNI specification forbids any other JNI call and the garbage collector waits. A direct
 * buffer is passed as its address (DirectBufferPointerData): nothing is pinned, nothing is allocated per call,
 * and a library that calls back into Java (the host stand-in, cuda/standin) stays within the JNI rules.
 * The libraries read these values before the call returns (host pointer mode; kernel arguments are copied at
 * launch, also while a stream is being captured), so one set of buffers serves every call of a device.
 */
final class HostValues {
    /** More than any kernel of ours takes. */
    static final int MAX_KERNEL_PARAMS = 32;

    private final ByteBuffer alpha = direct(8);
    private final ByteBuffer beta = direct(8);
    private final Pointer alphaPointer = Pointer.to(alpha);
    private final Pointer betaPointer = Pointer.to(beta);
    private final ByteBuffer[] params = new ByteBuffer[MAX_KERNEL_PARAMS];
    private final Pointer[] paramPointers = new Pointer[MAX_KERNEL_PARAMS];

    HostValues() {
        for (int i = 0; i < MAX_KERNEL_PARAMS; i++) {
            params[i] = direct(8);
            paramPointers[i] = Pointer.to(params[i]);
        }
    }

    /** alpha as a host float (FLOAT, HALF and BFLOAT16 data all take float scaling factors). */
    Pointer alpha(float value) {
        alpha.putFloat(0, value);
        return alphaPointer;
    }

    /** beta as a host float. */
    Pointer beta(float value) {
        beta.putFloat(0, value);
        return betaPointer;
    }

    /** The buffer of kernel argument {@code i}, cleared, 8 bytes, native order; its value goes in at offset 0. */
    ByteBuffer param(int i) {
        if (i >= MAX_KERNEL_PARAMS) {
            throw new IllegalArgumentException("a kernel with more than " + MAX_KERNEL_PARAMS + " parameters");
        }
        params[i].putLong(0, 0L);
        return params[i];
    }

    /** cuLaunchKernel's kernelParams for the first {@code count} argument buffers: an array of their addresses. */
    Pointer kernelParams(int count) {
        NativePointerObject[] p = new NativePointerObject[count];
        System.arraycopy(paramPointers, 0, p, 0, count);
        return Pointer.to(p);
    }

    /** {@code bytes} in a new direct buffer: module images, read by the driver during cuModuleLoadDataEx. */
    static Pointer image(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        return Pointer.to(b);
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
