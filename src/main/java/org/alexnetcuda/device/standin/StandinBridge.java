package org.alexnetcuda.device.standin;

import java.nio.ByteBuffer;

import org.alexnetcuda.device.DeviceException;

/**
 * The one entry from C (cuda/standin/bridge.c): every implemented function of the stand-in libraries arrives
 * here with its arguments as 64-bit words and answers with the C status number of its library.
 *
 * <p>A refusal of the simulator (a {@link DeviceException}: bad value, illegal address, out of memory, forbidden
 * during capture, ...) becomes that library's number for the status it names, and its reason is printed as one
 * line on stderr, since a C status carries no text. Anything else thrown is a defect of the stand-in: printed
 * whole, answered with the library's internal-error status.
 */
public final class StandinBridge {
    static final int DRIVER = 0;
    static final int CUBLAS = 1;
    static final int CUDNN = 2;

    private StandinBridge() {
    }

    /**
     * Called from C through JNI.
     *
     * @param library  {@link #DRIVER}, {@link #CUBLAS} or {@link #CUDNN}
     * @param function the C function, without its _v2 suffix (cuMemAlloc, cublasSgemm, ...)
     * @param args     the decoded arguments; results are written back into it, as each function documents
     * @param host     host memory of the call (a copy's host side, a PTX image, packed kernel arguments), or null
     */
    public static int call(int library, String function, long[] args, ByteBuffer host) {
        Standin standin = Standin.instance();
        try {
            standin.trace().record(library, function, args);
            Words words = new Words(function, args);
            switch (library) {
                case DRIVER -> standin.driver().call(function, words, host);
                case CUBLAS -> standin.blas().call(function, words);
                case CUDNN -> standin.dnn().call(function, words);
                default -> throw new IllegalArgumentException("library " + library);
            }
            return 0;
        } catch (DeviceException e) {
            System.err.println("alexnet-cuda host stand-in: " + e.getMessage());
            return StatusNumbers.of(library, e.status());
        } catch (RuntimeException | Error e) {
            System.err.println("alexnet-cuda host stand-in: " + function + " failed in the stand-in itself:");
            e.printStackTrace();
            return StatusNumbers.internalError(library);
        }
    }
}
