package org.alexnetcuda.train;

/** The loss became non-finite; the message says at which step or epoch. */
public final class DivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DivergedException(String message) {
        super(message);
    }
}
