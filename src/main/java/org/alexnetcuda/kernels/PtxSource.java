package org.alexnetcuda.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PTX text of the project's kernel modules: {@code /ptx/<module>.ptx} on the classpath, generated from
 * native-kernels/ and committed in cuda/ptx (the pom maps it there). Whoever loads modules into a CUDA context
 * (the JCuda device) and whoever checks them (the signature tests) reads them here.
 */
public final class PtxSource {
    /** Where the PTX lies on the classpath. */
    public static final String RESOURCE_DIR = "/ptx/";

    private PtxSource() {
    }

    /** The classpath resource of a module. */
    public static String resource(String module) {
        return RESOURCE_DIR + module + ".ptx";
    }

    /** The text of {@code /ptx/<module>.ptx}. */
    public static String read(String module) {
        try (InputStream in = PtxSource.class.getResourceAsStream(resource(module))) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + resource(module)
                        + " is not on the classpath (the jar is built with cuda/ptx mapped to /ptx)");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource(module), e);
        }
    }

    /** The operand of a PTX module directive, e.g. directive(ptx, "version") = "8.0"; "?" if absent. */
    public static String directive(String ptx, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*\\." + Pattern.quote(name) + "\\s+(\\S+)").matcher(ptx);
        return m.find() ? m.group(1) : "?";
    }
}
