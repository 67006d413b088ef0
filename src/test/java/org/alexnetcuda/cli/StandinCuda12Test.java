package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The stand-in of a CUDA 12 host (target/standin): libcublas.so.12, which JCublas links, used directly. */
@Tag("standin")
class StandinCuda12Test extends StandinTraining {
    @Test
    void deviceNamesTheStandinAndCublas12UsedDirectly() {
        CliTest.Run r = CliTest.run("device");
        assertEquals(0, r.code(), r::err);
        assertTrue(r.out().contains("GPU 0: alexnet-cuda host stand-in (no GPU), compute capability 9.0"), r::out);
        assertTrue(r.out().contains("host path: CUDA 12 libraries (cuBLAS 12 used directly)"), r::out);
        assertTrue(r.out().contains("cuBLAS: 12.6.0"), r::out);
        assertTrue(r.out().contains("cuDNN: 9.5.0"), r::out);
    }
}
