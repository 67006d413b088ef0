package org.alexnetcuda.device;

/**
 * A CUDA, cuBLAS or cuDNN call failed. The message names the call, what it was doing (layer or operation) and the
 * library's status name, e.g. {@code conv3 backward filter: cudnnConvolutionBackwardFilter: CUDNN_STATUS_BAD_PARAM}.
 */
public class DeviceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String status;
    private final String call;

    public DeviceException(String call, String status, String detail) {
        super(call + ": " + status + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.status = status;
        this.call = call;
    }

    /** For a subclass that words the whole one-line message itself, keeping the status of the call that failed. */
    protected DeviceException(String message, String status) {
        super(message);
        this.status = status;
        this.call = null;
    }

    /** The status name, e.g. CUDA_ERROR_OUT_OF_MEMORY or CUDNN_STATUS_BAD_PARAM. */
    public String status() {
        return status;
    }

    /** The call that failed, e.g. cudnnLRNCrossChannelForward; null where a subclass words the message itself. */
    public String call() {
        return call;
    }
}
