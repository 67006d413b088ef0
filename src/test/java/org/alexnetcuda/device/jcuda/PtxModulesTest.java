package org.alexnetcuda.device.jcuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.kernels.AdamKernels;
import org.alexnetcuda.kernels.Kernel;
import org.alexnetcuda.kernels.PtxSource;
import org.alexnetcuda.kernels.ReluKernels;
import org.junit.jupiter.api.Test;

/**
 * The GPU-free parts of PTX loading and launching: resources, directives, and the messages of a refused load or
 * launch, which go through the device-error path (call, status name, detail) like every CUDA call's.
 */
class PtxModulesTest {

    @Test
    void unsupportedPtxVersionNamesTheIsaTheDriverAndTheKernel() {
        String detail = PtxModules.describeLoadFailure("dropout", "dropout_forward", "8.0", "sm_75", 222, 11080,
                "ptxas application ptx input, line 10; fatal   : Unsupported .version 8.0; current version is '7.8'\n"
                        + "ptxas fatal   : Ptx assembly aborted due to errors\n");
        DeviceException e = new DeviceException("cuModuleLoadDataEx", Check.cuName(222), detail);
        assertEquals("cuModuleLoadDataEx: CUDA_ERROR_UNSUPPORTED_PTX_VERSION (loading /ptx/dropout.ptx for the first "
                + "launch of dropout_forward: the NVIDIA driver (CUDA 11.8) is too old for PTX ISA .version 8.0 "
                + "(.target sm_75), which needs a driver for CUDA 12.0 or newer; update the NVIDIA driver; JIT log: "
                + "ptxas application ptx input, line 10; fatal   : Unsupported .version 8.0; current version is '7.8' "
                + "| ptxas fatal   : Ptx assembly aborted due to errors)", e.getMessage());
        assertEquals("CUDA_ERROR_UNSUPPORTED_PTX_VERSION", e.status());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void invalidPtxAndOtherErrors() {
        String invalid = PtxModules.describeLoadFailure("loss", "confusion_accumulate", "8.0", "sm_75", 218, 12020, "");
        assertTrue(invalid.startsWith("loading /ptx/loss.ptx for the first launch of confusion_accumulate: the JIT "
                + "compiler of the NVIDIA driver (CUDA 12.2) rejected PTX .version 8.0 .target sm_75"), invalid);
        assertFalse(invalid.contains("JIT log"));
        // Out of memory keeps its status, which the engine's out-of-memory handling reads.
        String other = PtxModules.describeLoadFailure("data", "data_prepare_batch", "8.0", "sm_75", 2, -1, null);
        assertEquals("loading /ptx/data.ptx for the first launch of data_prepare_batch: PTX .version 8.0 .target "
                + "sm_75, driver unknown", other);
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", Check.cuName(2));
    }

    @Test
    void aRefusedLaunchNamesTheKernelAndItsShape() {
        DeviceException e = new DeviceException("cuLaunchKernel", Check.cuName(1),
                JCudaKernelLauncher.launchShape(ReluKernels.FORWARD, 4, 2048, 0));
        assertEquals("cuLaunchKernel: CUDA_ERROR_INVALID_VALUE (relu_forward <<<4, 2048, 0>>>)", e.getMessage());
    }

    @Test
    void directivesAndResources() {
        String ptx = PtxSource.read("activation");
        assertEquals("8.0", PtxSource.directive(ptx, "version"));
        assertEquals("sm_75", PtxSource.directive(ptx, "target"));
        assertEquals("64", PtxSource.directive(ptx, "address_size"));
        assertEquals("?", PtxSource.directive(ptx, "nothing"));
        assertThrows(IllegalStateException.class, () -> PtxSource.read("no-such-module"));
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
