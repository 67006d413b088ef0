package org.alexnetcuda.device.jcuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.gpu.GpuSupport;
import org.alexnetcuda.kernels.PtxSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stand-in runs a kernel as its Java reference only for the PTX that reference was checked against: a module
 * whose text differs from the committed PTX by one character is refused, as a driver refuses PTX it cannot use.
 */
@Tag("standin")
class StandinModuleTest {
    @Test
    void theCommittedPtxLoadsAndAnAlteredOneIsRefused() {
        try (Device d = GpuSupport.open()) {
            assumeTrue(GpuSupport.isStandin(d), "needs the host stand-in");
            String ptx = PtxSource.read("activation");
            assertNotNull(PtxModules.load("activation", null, ptx));
            // One digit of the body changed: still valid PTX for a driver, but not the code the reference stands for.
            int at = ptx.indexOf("256");
            assertTrue(at > 0, "the activation PTX has a 256 to alter");
            String altered = ptx.substring(0, at) + "257" + ptx.substring(at + 3);
            DeviceException e = assertThrows(DeviceException.class, () -> PtxModules.load("activation", null, altered));
            assertEquals("CUDA_ERROR_INVALID_PTX", e.status(), e::getMessage);
            assertTrue(e.getMessage().startsWith("cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX"), e::getMessage);
        }
    }
}
