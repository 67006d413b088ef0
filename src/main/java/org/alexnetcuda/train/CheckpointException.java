package org.alexnetcuda.train;

/**
 * A checkpoint that cannot be used (missing, incomplete, truncated, corrupt, from another program or architecture,
 * incompatible with the options given); one line naming the checkpoint and the problem. The CLI exits with 2.
 */
public final class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }
}
