package org.alexnetcuda.device.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CudaVersionsTest {
    @Test
    void cudaVersionText() {
        assertEquals("12.4", CudaVersions.cuda(12040));
        assertEquals("13.0", CudaVersions.cuda(13000));
        assertEquals("unknown", CudaVersions.cuda(0));
        assertEquals(12, CudaVersions.cudaMajor(12090));
    }

    @Test
    void cudnnVersionEncodingChangedInCudnn9() {
        assertEquals("9.5.1", CudaVersions.cudnn(90501));
        assertEquals("9.19.0", CudaVersions.cudnn(91900));
        assertEquals("8.4.1", CudaVersions.cudnn(8401));
        assertEquals("unknown", CudaVersions.cudnn(0));
    }

    @Test
    void ptxIsaAgainstDriverVersions() {
        assertEquals(12000, CudaVersions.firstCudaForIsa("8.0"));
        assertEquals(12050, CudaVersions.firstCudaForIsa("8.5"));
        assertEquals(13000, CudaVersions.firstCudaForIsa("9.0"));
        assertEquals(0, CudaVersions.firstCudaForIsa("7.0"));
        assertEquals(-1, CudaVersions.firstCudaForIsa("9.9"));
        assertEquals(-1, CudaVersions.firstCudaForIsa("x"));
        assertEquals("8.5", CudaVersions.newestIsaFor(12060));
        assertEquals("8.4", CudaVersions.newestIsaFor(12040));
        assertEquals("9.0", CudaVersions.newestIsaFor(13000));
        assertEquals("?", CudaVersions.newestIsaFor(11000));
    }

    @Test
    void ptxVersionDirective() {
        assertEquals("8.0", ShippedPtx.versionDirective("//\n// Generated\n\n.version 8.0\n.target sm_75\n"));
        assertEquals(null, ShippedPtx.versionDirective(".target sm_75\n"));
        assertEquals("8.4", ShippedPtx.newer("8.0", "8.4"));
        assertEquals("8.4", ShippedPtx.newer("8.4", null));
        assertEquals("8.0", ShippedPtx.newer(null, "8.0"));
    }
}
