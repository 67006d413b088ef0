package org.alexnetcuda.gpu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.host.HostProblemException;
import org.alexnetcuda.device.jcuda.JCudaDevice;

/**
 * Opens the GPU for the tests tagged {@code gpu} (run by {@code mvn verify -Pgpu}); where this host cannot run the
 * GPU engine they are skipped, and the reason (the host diagnosis: no driver, no GPU, missing cuBLAS or cuDNN) is
 * printed once and given as the skip message.
 */
public final class GpuSupport {
    private static String unavailable;
    private static boolean probed;

    private GpuSupport() {
    }

    /** A fresh device on GPU 0, or a skipped test with the reason. */
    public static synchronized Device open() {
        assumeTrue(unavailable == null, () -> "GPU tests skipped: " + unavailable);
        try {
            Device d = JCudaDevice.open(0);
            if (!probed) {
                System.out.println("GPU tests on " + d.name());
                probed = true;
            }
            return d;
        } catch (HostProblemException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            unavailable = e.getMessage();
            System.out.println("GPU tests skipped: " + unavailable);
            assumeTrue(false, "GPU tests skipped: " + unavailable);
            throw new AssertionError("unreachable");
        }
    }
}
