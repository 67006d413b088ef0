package org.alexnetcuda.data;

/**
 * A download that failed on the way: no network, connection refused, an HTTP error status, a transfer cut short or
 * stalled, or bytes whose MD5 is not the published one. Unlike a {@link DataException} the user's input is not at
 * fault, so the CLI exits with 1 (failure), not 2 (bad usage). The message is one line: the URL and the cause.
 */
public class DownloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DownloadException(String message) {
        super(DataException.oneLine(message));
    }

    public DownloadException(String message, Throwable cause) {
        super(DataException.oneLine(message), cause);
    }
}
