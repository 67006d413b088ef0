package org.alexnetcuda.cli;

/** Exit codes of every command, documented in --help and docs/commands.md. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A run that failed: diverged training, an I/O error, an internal error. */
    public static final int FAILURE = 1;
    /** Bad usage or bad input: an impossible option, a corrupt dataset or weights file. */
    public static final int USAGE = 2;
    /** No usable GPU for --device gpu. */
    public static final int NO_GPU = 3;
    /** Interrupted by SIGINT or SIGTERM. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
