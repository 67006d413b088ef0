package org.alexnetcuda.device.standin;

import java.util.HashMap;
import java.util.Map;

import org.alexnetcuda.device.DeviceException;

/**
 * The opaque handles the stand-in hands to C (CUstream, CUevent, CUgraph, CUmodule, CUfunction, the context, the
 * cuBLAS and cuDNN handles and descriptors): numbers that look like pointers, never reused, each mapped to the
 * Java object behind it. A handle of the wrong kind, destroyed or never made is refused with the status the
 * calling library uses for that (CUDA_ERROR_INVALID_HANDLE, CUBLAS_STATUS_NOT_INITIALIZED, CUDNN_STATUS_BAD_PARAM).
 */
final class HandleTable {
    /** Well above any small integer a caller might pass by mistake, and 16-byte aligned like a heap pointer. */
    private static final long FIRST = 0x5ca1_0000L;

    private final Map<Long, Object> live = new HashMap<>();
    private long next = FIRST;

    long add(Object value) {
        long h = next;
        next += 16;
        live.put(h, value);
        return h;
    }

    /** Replaces what a live handle stands for (a descriptor, once its Set call has given it a value). */
    void replace(long handle, Object value) {
        live.put(handle, value);
    }

    /**
     * The object behind {@code handle}, which must be a {@code kind}.
     *
     * @param status the status of a bad handle in the calling library
     */
    <T> T get(String call, long handle, Class<T> kind, String what, String status) {
        Object v = live.get(handle);
        if (v == null) {
            throw new DeviceException(call, status, what + " " + hex(handle) + " is not a live handle");
        }
        if (!kind.isInstance(v)) {
            throw new DeviceException(call, status, what + " " + hex(handle) + " is a " + describe(v) + ", not a "
                    + kind.getSimpleName());
        }
        return kind.cast(v);
    }

    Object remove(String call, long handle, String what, String status) {
        Object v = live.remove(handle);
        if (v == null) {
            throw new DeviceException(call, status, what + " " + hex(handle) + " is not a live handle");
        }
        return v;
    }

    /** Forgets every handle (the context they belonged to is gone). */
    void clear() {
        live.clear();
    }

    static String hex(long handle) {
        return "0x" + Long.toHexString(handle);
    }

    private static String describe(Object v) {
        Class<?> c = v.getClass();
        for (Class<?> i : c.getInterfaces()) {
            return i.getSimpleName();
        }
        return c.getSimpleName();
    }
}
