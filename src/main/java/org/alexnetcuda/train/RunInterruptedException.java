package org.alexnetcuda.train;

import java.nio.file.Path;

/** The run stopped on SIGINT or SIGTERM after saving a checkpoint; the CLI exits with 130. */
public final class RunInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path checkpoint;

    public RunInterruptedException(TrainPosition at, Path checkpoint) {
        super("interrupted at " + at + (checkpoint == null ? "" : "; checkpoint saved: " + checkpoint
                + "; continue with: train --resume " + checkpoint.getParent().getParent()));
        this.checkpoint = checkpoint;
    }

    /** The checkpoint written on the way out, or null. */
    public Path checkpoint() {
        return checkpoint;
    }
}
