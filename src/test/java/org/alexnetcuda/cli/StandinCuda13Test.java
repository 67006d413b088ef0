package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stand-in of a CUDA-13-only host (target/standin-cuda13: libcublas.so.13 and no .so.12), so JCublas reaches
 * cuBLAS through the bundled forwarder, as on the GPU machine.
 */
@Tag("standin13")
class StandinCuda13Test extends StandinTraining {
    @Test
    void deviceNamesTheStandinAndTheForwarderRoute() {
        CliTest.Run r = CliTest.run("device");
        assertEquals(0, r.code(), r::err);
        assertTrue(r.out().contains("GPU 0: alexnet-cuda host stand-in (no GPU)"), r::out);
        assertTrue(r.out().contains("host path: CUDA 13 libraries (cuBLAS 13 through the bundled libcublas.so.12 "
                + "forwarder)"), r::out);
        assertTrue(r.out().contains("cuBLAS: 13.0.0 (built for CUDA 13.0)"), r::out);
    }
}
