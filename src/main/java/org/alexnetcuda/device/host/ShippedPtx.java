package org.alexnetcuda.device.host;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The PTX ISA the shipped kernel modules need: the newest {@code .version} among the {@code /ptx/*.ptx}
 * resources (the pom maps cuda/ptx there). The driver must be able to JIT it.
 */
public final class ShippedPtx {
    private static final Pattern VERSION = Pattern.compile("(?m)^\\s*\\.version\\s+(\\d+\\.\\d+)\\s*$");

    private ShippedPtx() {
    }

    /** The newest ISA over the shipped modules, e.g. "8.0"; null when this build ships none. */
    public static String requiredIsa() {
        String newest = null;
        for (String ptx : shippedModules()) {
            newest = newer(newest, versionDirective(ptx));
        }
        return newest;
    }

    /** The operand of the module's {@code .version} directive, null if it has none. */
    public static String versionDirective(String ptx) {
        Matcher m = VERSION.matcher(ptx);
        return m.find() ? m.group(1) : null;
    }

    static String newer(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return CudaVersions.isa(b) > CudaVersions.isa(a) ? b : a;
    }

    /** The text of every ptx/*.ptx next to this class: in the jar, or in the classes directory of a build. */
    private static List<String> shippedModules() {
        List<String> out = new ArrayList<>();
        try {
            CodeSource src = ShippedPtx.class.getProtectionDomain().getCodeSource();
            if (src == null) {
                return out;
            }
            Path where = Path.of(src.getLocation().toURI());
            if (Files.isDirectory(where)) {
                Path dir = where.resolve("ptx");
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        for (Path p : files.filter(f -> f.toString().endsWith(".ptx")).toList()) {
                            out.add(Files.readString(p, StandardCharsets.UTF_8));
                        }
                    }
                }
            } else if (Files.isRegularFile(where)) {
                try (ZipFile jar = new ZipFile(where.toFile())) {
                    Enumeration<? extends ZipEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        ZipEntry e = entries.nextElement();
                        if (e.getName().startsWith("ptx/") && e.getName().endsWith(".ptx")) {
                            try (InputStream in = jar.getInputStream(e)) {
                                out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | SecurityException | IllegalArgumentException e) {
            // Unknown: the check is skipped; a load failure of the PTX still names the ISA.
        }
        return out;
    }
}
