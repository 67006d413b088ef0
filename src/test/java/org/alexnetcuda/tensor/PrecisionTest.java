package org.alexnetcuda.tensor;

import org.alexnetcuda.engine.EngineConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** --precision's spellings and its one-line refusals. */
class PrecisionTest {
    @Test
    void parsesBothPrecisionsInAnyCase() {
        assertEquals(Precision.FP32, Precision.parse("fp32"));
        assertEquals(Precision.TF32, Precision.parse("TF32"));
        assertEquals(Precision.TF32, Precision.parse(" tf32 "));
        assertEquals("tf32", Precision.TF32.toString());
    }

    @Test
    void mixedPrecisionModesStoreSixteenBitsAndOnlyFp16ScalesTheLoss() {
        assertEquals(Precision.FP16, Precision.parse("FP16"));
        assertEquals(Precision.BF16, Precision.parse("bf16"));
        assertEquals(StorageFormat.F16, Precision.FP16.storage());
        assertEquals(StorageFormat.BF16, Precision.BF16.storage());
        assertEquals(StorageFormat.F32, Precision.TF32.storage());
        assertTrue(Precision.FP16.lossScaling());
        assertFalse(Precision.BF16.lossScaling());
        assertFalse(Precision.FP32.tensorOps());
        assertTrue(Precision.BF16.tensorOps() && Precision.FP16.tensorOps() && Precision.TF32.tensorOps());
    }

    @Test
    void anythingElseNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp64"));
        assertEquals("--precision must be fp32, tf32, fp16 or bf16 (got 'fp64')", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("amp"));
        assertThrows(IllegalArgumentException.class, () -> Precision.parse(null));
    }

    @Test
    void olderConstructorsMeanStrictFp32() {
        assertEquals(Precision.FP32, new EngineConfig(1e-3f, 0f, 1, false).precision());
        assertEquals(Precision.FP32, new EngineConfig(1e-3f, 0f, 1, false, true).precision());
        assertEquals(Precision.TF32, new EngineConfig(1e-3f, 0f, 1, false).withPrecision(Precision.TF32).precision());
    }
}
