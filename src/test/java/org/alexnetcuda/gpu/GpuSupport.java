package org.alexnetcuda.gpu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.host.HostProblemException;
import org.alexnetcuda.device.jcuda.JCudaDevice;

/**
 * Opens the GPU for the tests tagged {@code gpu} (run by {@code mvn verify -Pgpu}); where this host cannot run the
 * GPU engine they are skipped, and the reason (the host diagnosis: no driver, no GPU, missing cuBLAS or cuDNN) is
 * printed once and given as the skip message.
 *
 * <p>Maven's {@code standin} executions run the same suite on the host stand-in (cuda/standin) and name its folder
 * in the system property {@value #STANDIN_PROPERTY}: there the device must open, so a failure to open it fails the
 * test instead of skipping it, unless the build could not make the stand-in (then its reason is the skip message).
 */
public final class GpuSupport {
    /** The stand-in folder the tests were started against, set by Maven's standin executions. */
    public static final String STANDIN_PROPERTY = "alexnet.standin";
    private static String unavailable;
    private static boolean probed;

    private GpuSupport() {
    }

    /** A fresh device on GPU 0, or a skipped test with the reason. */
    public static synchronized Device open() {
        assumeTrue(unavailable == null, () -> "GPU tests skipped: " + unavailable);
        String notBuilt = standinNotBuilt();
        if (notBuilt != null) {
            unavailable = "the host stand-in was not built: " + notBuilt;
            System.out.println("GPU tests skipped: " + unavailable);
            assumeTrue(false, "GPU tests skipped: " + unavailable);
        }
        try {
            Device d = JCudaDevice.open(0);
            if (!probed) {
                System.out.println("GPU tests on " + d.name());
                probed = true;
            }
            return d;
        } catch (HostProblemException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            if (System.getProperty(STANDIN_PROPERTY) != null) {
                throw new AssertionError("the host stand-in did not open: " + e.getMessage(), e);
            }
            unavailable = e.getMessage();
            System.out.println("GPU tests skipped: " + unavailable);
            assumeTrue(false, "GPU tests skipped: " + unavailable);
            throw new AssertionError("unreachable");
        }
    }

    /** Whether this device is the host stand-in, where the simulator computes and nothing is timed or measured. */
    public static boolean isStandin(Device d) {
        return d.name().contains("host stand-in");
    }

    /**
     * Skips a test that means nothing on the host stand-in (a timing, the real libraries' arithmetic), printing
     * why; on a GPU it does nothing.
     */
    public static void skipOnStandin(Device d, String why) {
        if (isStandin(d)) {
            System.out.println("skipped on the host stand-in: " + why);
            assumeTrue(false, "skipped on the host stand-in: " + why);
        }
    }

    /** Why the stand-in named by {@value #STANDIN_PROPERTY} is absent (build.sh's note), or null. */
    private static String standinNotBuilt() {
        String dir = System.getProperty(STANDIN_PROPERTY);
        if (dir == null) {
            return null;
        }
        Path note = Path.of(dir).resolveSibling("standin-not-built.txt");
        try {
            return Files.exists(note) ? Files.readString(note).strip() : null;
        } catch (IOException e) {
            return "unreadable " + note + ": " + e.getMessage();
        }
    }
}
