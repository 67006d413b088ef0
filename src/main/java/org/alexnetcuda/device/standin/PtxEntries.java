package org.alexnetcuda.device.standin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.alexnetcuda.kernels.ParamType;

/**
 * The kernel entries of a PTX module and the size in bytes of each one's parameters, in order, as the driver learns
 * them when it loads the module: {@code .visible .entry name(.param .u64 name_param_0, .param .u32 ...)}. A
 * {@code .param .align A .b8 name[N]} (a struct passed by value) is N bytes.
 */
final class PtxEntries {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(([^)]*)\\)",
            Pattern.DOTALL);
    private static final Pattern PARAM = Pattern.compile(
            "\\.param\\s+(?:\\.align\\s+\\d+\\s+)?\\.([a-z]\\d+)\\s+[\\w$]+(?:\\[(\\d+)\\])?");

    private final Map<String, List<Integer>> sizes;

    private PtxEntries(Map<String, List<Integer>> sizes) {
        this.sizes = sizes;
    }

    static PtxEntries parse(String ptx) {
        Map<String, List<Integer>> m = new HashMap<>();
        Matcher e = ENTRY.matcher(ptx);
        while (e.find()) {
            List<Integer> s = new ArrayList<>();
            Matcher p = PARAM.matcher(e.group(2));
            while (p.find()) {
                int bits = Integer.parseInt(p.group(1).substring(1));
                s.add(bits / 8 * (p.group(2) == null ? 1 : Integer.parseInt(p.group(2))));
            }
            m.put(e.group(1), List.copyOf(s));
        }
        return new PtxEntries(m);
    }

    /** The parameter sizes of entry {@code name}, or null if the module has no such entry. */
    List<Integer> sizes(String name) {
        return sizes.get(name);
    }

    /** The size a parameter of this type has in PTX. */
    static int size(ParamType t) {
        return switch (t) {
            case PTR, I64, U64, F64 -> 8;
            case I32, U32, F32 -> 4;
        };
    }
}
