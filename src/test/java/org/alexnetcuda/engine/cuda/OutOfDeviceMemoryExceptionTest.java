package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.junit.jupiter.api.Test;

/** The out-of-memory message the CUDA engine will throw: what was needed, what was free, the batch that fits. */
class OutOfDeviceMemoryExceptionTest {
    private static final NetworkSpec NOTEBOOK = AlexNet.build(ModelConfig.NOTEBOOK);
    private static final long WS = MemoryEstimate.DEFAULT_WORKSPACE;

    private static long need(int batch) {
        return new MemoryEstimate(NOTEBOOK, batch, 60000, WS).total();
    }

    @Test
    void namesNeedFreeAndTheLargestBatchThatFits() {
        long free = (need(100) + need(101)) / 2; // between two batch sizes
        OutOfDeviceMemoryException e = OutOfDeviceMemoryException.forEstimate(NOTEBOOK, 512, 60000, WS, free);
        assertEquals(100, e.largestBatch());
        assertEquals(need(512), e.neededBytes());
        assertEquals(free, e.freeBytes());
        assertEquals("out of device memory: batch size 512 needs " + MemoryEstimate.mib(need(512)) + ", "
                + MemoryEstimate.mib(free) + " free; the largest batch size that fits is 100 (--batch-size 100)", e.getMessage());
        assertTrue(need(e.largestBatch()) <= free && need(e.largestBatch() + 1) > free);
    }

    @Test
    void saysWhenNotEvenOneImageFits() {
        long free = need(1) - 1;
        OutOfDeviceMemoryException e = OutOfDeviceMemoryException.forEstimate(NOTEBOOK, 64, 60000, WS, free);
        assertEquals(0, e.largestBatch());
        assertTrue(e.getMessage().endsWith("not even batch size 1 fits (the parameters, Adam state and dataset alone are too large)"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void theLargestFittingBatchIsExactForAnyFreeAmount() {
        for (int b : new int[] {1, 2, 17, 64, 333}) {
            assertEquals(b, OutOfDeviceMemoryException.largestFittingBatch(NOTEBOOK, 60000, WS, need(b), 1000));
            assertEquals(b - 1, OutOfDeviceMemoryException.largestFittingBatch(NOTEBOOK, 60000, WS, need(b) - 1, 1000));
        }
    }
}
