package org.alexnetcuda.train;

/**
 * Saving a checkpoint or a run file failed (disk full, folder not writable, ...). Whatever was being written was
 * removed; every earlier checkpoint is untouched. The CLI exits with 1.
 */
public final class CheckpointWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
