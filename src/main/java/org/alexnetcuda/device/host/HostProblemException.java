package org.alexnetcuda.device.host;

/**
 * This host cannot run the GPU engine; the message is one line saying what was found, what is needed and how
 * to fix it (from {@link HostCheck}). The CLI maps it to exit code 3.
 */
public class HostProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostProblemException(String message) {
        super(message);
    }
}
