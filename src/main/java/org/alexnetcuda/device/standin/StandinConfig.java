package org.alexnetcuda.device.standin;

import java.util.Locale;
import java.util.Map;

import org.alexnetcuda.device.sim.SimMemory;

/**
 * What the stand-in poses as, from the environment of the process (read once, when the program first calls it):
 *
 * <ul>
 *   <li>{@code ALEXNET_STANDIN_MEMORY}: the device memory, in bytes or with a k/m/g suffix (default 80g, the
 *       simulator's), so the out-of-memory path can be run for real;</li>
 *   <li>{@code ALEXNET_STANDIN_CC}: the compute capability, {@code 9.0} by default ({@code 7.5} makes a card
 *       without bf16);</li>
 *   <li>{@code ALEXNET_STANDIN_DRIVER}: cuDriverGetVersion's answer, 13000 (CUDA 13.0) by default;</li>
 *   <li>{@code ALEXNET_STANDIN_TRACE}: a file to which every call is written as it arrives (see {@link CallTrace}).</li>
 * </ul>
 */
record StandinConfig(long memoryBytes, int computeCapability, int driverVersion, String traceFile) {
    static final String MEMORY = "ALEXNET_STANDIN_MEMORY";
    static final String CC = "ALEXNET_STANDIN_CC";
    static final String DRIVER = "ALEXNET_STANDIN_DRIVER";
    static final String TRACE = "ALEXNET_STANDIN_TRACE";

    static StandinConfig from(Map<String, String> env) {
        return new StandinConfig(bytes(env.get(MEMORY)), capability(env.get(CC)),
                env.containsKey(DRIVER) ? Integer.parseInt(env.get(DRIVER).trim()) : 13000, env.get(TRACE));
    }

    static long bytes(String text) {
        if (text == null || text.isBlank()) {
            return SimMemory.DEFAULT_CAPACITY;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        long scale = switch (t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(scale == 1 ? t : t.substring(0, t.length() - 1)) * scale;
    }

    /** "9.0" as 90. */
    static int capability(String text) {
        if (text == null || text.isBlank()) {
            return 90;
        }
        String[] p = text.trim().split("\\.");
        return Integer.parseInt(p[0]) * 10 + (p.length > 1 ? Integer.parseInt(p[1]) : 0);
    }
}
