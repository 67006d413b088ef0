package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The GPU-free parts of PTX loading: resources, directives, and the load-failure messages. */
class PtxModulesTest {

    @Test
    void unsupportedPtxVersionNamesTheIsaAndTheDriver() {
        String msg = PtxModules.describeLoadFailure("dropout", "8.0", "sm_75", 222, 11080,
                "ptxas application ptx input, line 10; fatal   : Unsupported .version 8.0; current version is '7.8'\n"
                        + "ptxas fatal   : Ptx assembly aborted due to errors\n");
        assertEquals("cannot load /ptx/dropout.ptx: CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222): the NVIDIA driver "
                + "(CUDA 11.8) is too old for PTX ISA .version 8.0 (.target sm_75), which needs a driver for CUDA 12.0 "
                + "or newer; update the NVIDIA driver; JIT log: ptxas application ptx input, line 10; fatal   : "
                + "Unsupported .version 8.0; current version is '7.8' | ptxas fatal   : Ptx assembly aborted due to "
                + "errors", msg);
        assertFalse(msg.contains("\n"));
    }

    @Test
    void invalidPtxAndOtherErrors() {
        String invalid = PtxModules.describeLoadFailure("loss", "8.0", "sm_75", 218, 12020, "");
        assertTrue(invalid.startsWith("cannot load /ptx/loss.ptx: CUDA_ERROR_INVALID_PTX (218): the JIT compiler of "
                + "the NVIDIA driver (CUDA 12.2) rejected PTX .version 8.0 .target sm_75"), invalid);
        assertFalse(invalid.contains("JIT log"));
        String other = PtxModules.describeLoadFailure("data", "8.0", "sm_75", 2, -1, null);
        assertEquals("cannot load /ptx/data.ptx: CUDA_ERROR_OUT_OF_MEMORY (2): PTX .version 8.0 .target sm_75, "
                + "driver unknown", other);
    }

    @Test
    void directivesAndResources() {
        String ptx = PtxModules.readPtx("activation");
        assertEquals("8.0", PtxModules.directive(ptx, "version"));
        assertEquals("sm_75", PtxModules.directive(ptx, "target"));
        assertEquals("64", PtxModules.directive(ptx, "address_size"));
        assertEquals("?", PtxModules.directive(ptx, "nothing"));
        assertThrows(IllegalStateException.class, () -> PtxModules.readPtx("no-such-module"));
        assertEquals("12.0", PtxModules.minimumCudaForPtxIsa("8.0"));
        assertEquals("13.0", PtxModules.minimumCudaForPtxIsa("9.0"));
    }

    @Test
    void argumentsAreCheckedAgainstTheParameterList() {
        Kernel k = ReluKernels.FORWARD;
        k.checkArguments(new Object(), null, 5);
        assertThrows(IllegalArgumentException.class, () -> k.checkArguments(new Object(), new Object()));
        assertThrows(IllegalArgumentException.class, () -> k.checkArguments(new Object(), new Object(), 5L));
        assertThrows(IllegalArgumentException.class, () -> k.checkArguments(1, new Object(), 5));
        assertThrows(IllegalArgumentException.class, () -> AdamKernels.BEGIN_STEP.checkArguments(new Object(), 0.9f,
                0.999));
    }
}
