package org.alexnetcuda.device.standin;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;

/**
 * The C-level call log: every call that reached the stand-in, one line each, as C passed it: the function and its
 * argument words in hexadecimal (handles, pointers, float bits and all), before the call ran. Off unless
 * {@code ALEXNET_STANDIN_TRACE} names a file.
 */
final class CallTrace {
    private static final String[] LIBRARIES = {"cuda", "cublas", "cudnn"};
    private final PrintWriter out;

    private CallTrace(PrintWriter out) {
        this.out = out;
    }

    static CallTrace to(String file) {
        if (file == null || file.isBlank()) {
            return new CallTrace(null);
        }
        try {
            return new CallTrace(new PrintWriter(Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8), true));
        } catch (IOException e) {
            throw new UncheckedIOException("ALEXNET_STANDIN_TRACE " + file, e);
        }
    }

    void record(int library, String function, long[] args) {
        if (out == null) {
            return;
        }
        StringJoiner j = new StringJoiner(" ", LIBRARIES[library] + " " + function + " ", "");
        for (long a : args) {
            j.add(Long.toHexString(a));
        }
        out.println(j);
    }
}
