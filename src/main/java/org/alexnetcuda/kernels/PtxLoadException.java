package org.alexnetcuda.kernels;

/** A PTX module could not be loaded; the message is one line naming the module, the PTX ISA and the driver. */
public final class PtxLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int result;

    public PtxLoadException(String message, int result) {
        super(message);
        this.result = result;
    }

    /** The CUresult of the failed load, e.g. 222 (CUDA_ERROR_UNSUPPORTED_PTX_VERSION). */
    public int result() {
        return result;
    }
}
