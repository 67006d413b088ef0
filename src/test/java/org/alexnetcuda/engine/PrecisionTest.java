package org.alexnetcuda.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void mixedPrecisionIsNotSupportedYet() {
        for (String s : new String[] {"bf16", "FP16", "amp"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse(s));
            assertTrue(e.getMessage().contains("is not supported yet"), e.getMessage());
            assertTrue(e.getMessage().contains("use fp32 or tf32"), e.getMessage());
        }
    }

    @Test
    void anythingElseNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp64"));
        assertEquals("--precision must be fp32 or tf32 (got 'fp64')", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Precision.parse(null));
    }

    @Test
    void olderConstructorsMeanStrictFp32() {
        assertEquals(Precision.FP32, new EngineConfig(1e-3f, 0f, 1, false).precision());
        assertEquals(Precision.FP32, new EngineConfig(1e-3f, 0f, 1, false, true).precision());
        assertEquals(Precision.TF32, new EngineConfig(1e-3f, 0f, 1, false).withPrecision(Precision.TF32).precision());
    }
}
