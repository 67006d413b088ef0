package org.alexnetcuda.cli;

/** --device gpu was asked for but no usable GPU is there; exit code 3. */
public final class NoGpuException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoGpuException(String message) {
        super(message);
    }
}
