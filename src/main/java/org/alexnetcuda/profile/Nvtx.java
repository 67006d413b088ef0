package org.alexnetcuda.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * NVTX ranges and marks from Java, through libalexnet-nvtx.so (cuda/nvtx, built into the jar at package time).
 *
 * <p>Off unless {@link #enable} was called and the library loaded: {@link #push}, {@link #pop} and {@link #mark}
 * then return at once, so code may call them on every step at no cost. The engine enables NVTX only for
 * --nvtx or --profile-steps. Even enabled, NVTX itself does nothing until a profiler has injected itself into
 * the process (Nsight Systems and Nsight Compute do, through NVTX_INJECTION64_PATH); push then returns
 * {@link #NO_TOOL}.
 *
 * <p>Ranges are host-side: they mark when the host issued work, which for eagerly issued GPU work is what nsys
 * draws over the kernels it launched. Ranges are per thread; the engine drives the device from one thread.
 */
public final class Nvtx {
    /** Where the build puts the library inside the jar. */
    public static final String RESOURCE = "/native/linux-x86_64/libalexnet-nvtx.so";
    /** What nvtxRangePushA returns when no tool is attached (NVTX_NO_PUSH_POP_TRACKING). */
    public static final int NO_TOOL = -2;
    /** What {@link #push} returns when NVTX is off (nothing was called). */
    public static final int OFF = Integer.MIN_VALUE;

    private static volatile boolean enabled;
    private static boolean loaded;
    private static String status = "off (not requested)";

    private Nvtx() {
    }

    /**
     * Loads the library from the jar (once) and turns the calls on. Returns whether NVTX is on; when it is not,
     * {@link #status} says why, in one line. Never throws: profiling without ranges still works.
     */
    public static synchronized boolean enable() {
        if (!loaded) {
            try (InputStream in = Nvtx.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    status = "off (libalexnet-nvtx.so is not in this build: gcc, the JDK headers or the CUDA "
                            + "toolkit's nvtx3 headers were missing when it was built)";
                    return false;
                }
                Path dir = Files.createTempDirectory("alexnet-cuda-nvtx-");
                Path lib = dir.resolve("libalexnet-nvtx.so");
                Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
                lib.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return enable(lib);
            } catch (IOException e) {
                status = "off (cannot extract libalexnet-nvtx.so: " + e.getMessage() + ")";
                return false;
            }
        }
        return turnOn();
    }

    /** {@link #enable} with the library at {@code lib} (tests load a freshly built one). */
    public static synchronized boolean enable(Path lib) {
        if (!loaded) {
            try {
                System.load(lib.toAbsolutePath().toString());
                loaded = true;
            } catch (UnsatisfiedLinkError e) {
                status = "off (libalexnet-nvtx.so did not load: " + e.getMessage() + ")";
                return false;
            }
        }
        return turnOn();
    }

    private static boolean turnOn() {
        enabled = true;
        status = "on (ranges reach a profiler when one is attached)";
        return true;
    }

    /** Turns the calls off again (the library stays loaded). */
    public static synchronized void disable() {
        enabled = false;
        if (loaded) {
            status = "off (disabled)";
        }
    }

    public static boolean enabled() {
        return enabled;
    }

    /** One line: on, or off and why. */
    public static synchronized String status() {
        return status;
    }

    /** nvtxRangePushA: the new range's nesting level, {@link #NO_TOOL} without a profiler, {@link #OFF} when off. */
    public static int push(String name) {
        return enabled ? push0(name) : OFF;
    }

    /** nvtxRangePop: ends the innermost range of this thread. */
    public static int pop() {
        return enabled ? pop0() : OFF;
    }

    /** nvtxMarkA: an instant event on the timeline. */
    public static void mark(String name) {
        if (enabled) {
            mark0(name);
        }
    }

    private static native int push0(String name);

    private static native int pop0();

    private static native void mark0(String name);
}
