package org.alexnetcuda.data;

/**
 * A dataset problem the user can fix (missing or malformed file, a local archive with the wrong checksum).
 * The message is one line that names the file or URL and the problem; the CLI prints it as is and exits with 2.
 * A download that fails on the way is a {@link DownloadException} instead (exit 1).
 */
public class DataException extends RuntimeException {

    public DataException(String message) {
        super(oneLine(message));
    }

    public DataException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Folds line breaks so that a cause's multi-line text cannot break the one-line contract. */
    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
