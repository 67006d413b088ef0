package org.alexnetcuda.train;

/** The loss became non-finite; the message says at which step, and the run adds its last good checkpoint. */
public final class DivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long step;

    public DivergedException(String message) {
        this(message, -1);
    }

    public DivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** The optimizer step (1-based) whose loss was non-finite, -1 if unknown. */
    public long step() {
        return step;
    }
}
