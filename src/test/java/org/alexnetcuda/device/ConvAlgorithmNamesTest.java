package org.alexnetcuda.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.alexnetcuda.device.Dnn.ConvPass;
import org.junit.jupiter.api.Test;

/** Names of cuDNN's algorithm numbers, per pass (each enum numbers its own). */
class ConvAlgorithmNamesTest {
    @Test
    void eachPassHasItsOwnEnum() {
        assertEquals("IMPLICIT_GEMM", ConvAlgorithmNames.of(ConvPass.FORWARD, 0));
        assertEquals("WINOGRAD_NONFUSED", ConvAlgorithmNames.of(ConvPass.FORWARD, 7));
        assertEquals("FFT", ConvAlgorithmNames.of(ConvPass.BACKWARD_DATA, 2));
        assertEquals("ALGO_3", ConvAlgorithmNames.of(ConvPass.BACKWARD_FILTER, 3));
        assertEquals("FFT_TILING", ConvAlgorithmNames.of(ConvPass.BACKWARD_FILTER, 6));
        assertEquals("ALGO_6?", ConvAlgorithmNames.of(ConvPass.BACKWARD_DATA, 6));
    }
}
