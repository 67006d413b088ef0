package org.alexnetcuda.model;

/** A weights or checkpoint file that cannot be used; the message is one line naming the file and the problem. */
public final class WeightsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
