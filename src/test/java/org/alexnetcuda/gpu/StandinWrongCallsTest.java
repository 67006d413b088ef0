package org.alexnetcuda.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Dnn;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.alexnetcuda.device.jcuda.CublasStatus;
import org.alexnetcuda.device.jcuda.CudnnStatus;
import org.alexnetcuda.kernels.Kernel;
import org.alexnetcuda.kernels.ParamType;
import org.alexnetcuda.kernels.ReluKernels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import jcuda.driver.CUcontext;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnDropoutDescriptor;

/**
 * Wrong calls made through JCuda reach the stand-in as C arguments and come back as the failing call's status, in
 * the program's one-line form ({@code call: STATUS (detail)}): the checks the simulator makes are made on what
 * JCuda actually passed.
 */
@Tag("standin")
class StandinWrongCallsTest {
    private static Device open() {
        Device d = GpuSupport.open();
        assumeTrue(GpuSupport.isStandin(d), "needs the host stand-in: a GPU would fault, not refuse");
        return d;
    }

    private static DeviceException refused(String call, String status, Executable wrong) {
        DeviceException e = assertThrows(DeviceException.class, wrong);
        assertEquals(status, e.status(), e::getMessage);
        assertTrue(e.getMessage().startsWith(call + ": " + status), e::getMessage);
        assertTrue(e.getMessage().lines().count() == 1, e::getMessage);
        return e;
    }

    @Test
    void aLaunchWithAParameterOfTheWrongSizeIsRefused() {
        try (Device d = open()) {
            Stream s = d.streams().createStream();
            int n = 1000;
            DevicePtr x = d.memory().alloc(4L * n);
            DevicePtr y = d.memory().alloc(4L * n);
            d.memory().setD32(x, Float.floatToIntBits(-1.5f), n, s);
            new ReluKernels(d.kernels()).forward(s, y, x, n); // right: fills the argument slots
            // relu_forward(float* y, const float* x, int n) declared with x as a 4-byte int: the PTX reads 8 bytes.
            Kernel wrong = Kernel.of("activation", "relu_forward", ParamType.PTR, ParamType.I32, ParamType.I32);
            // The stand-in reads x as 8 bytes, 4096 and the slot's zero upper half, and the access faults as on a GPU.
            DeviceException e = refused("cuLaunchKernel", "CUDA_ERROR_ILLEGAL_ADDRESS",
                    () -> d.kernels().launch(wrong, 4, 256, 0, s, y, 4096, n));
            assertTrue(e.getMessage().contains("relu_forward <<<4, 256, 0>>>"), e::getMessage);
        }
    }

    @Test
    void aLaunchBeyondTheDriversLimitsIsRefused() {
        try (Device d = open()) {
            Stream s = d.streams().createStream();
            DevicePtr x = d.memory().alloc(4L * 4096);
            // 2048 threads a block: over the 1024 every CUDA GPU allows, checked by the stand-in's C side.
            DeviceException e = refused("cuLaunchKernel", "CUDA_ERROR_INVALID_VALUE",
                    () -> d.kernels().launch(ReluKernels.FORWARD, 2, 2048, 0, s, x, x, 4096));
            assertTrue(e.getMessage().contains("relu_forward <<<2, 2048, 0>>>"), e::getMessage);
        }
    }

    /** A function the program does not use is a stub in the stand-in: its library's NOT_SUPPORTED, no crash. */
    @Test
    void aFunctionTheStandinDoesNotImplementIsNotSupported() {
        try (Device d = open()) {
            assertEquals(CUresult.CUDA_ERROR_NOT_SUPPORTED,
                    JCudaDriver.cuCtxGetApiVersion(new CUcontext(), new int[1]));
            // cuDNN 9's number (3000), not the JCudnn 11.7 API's constant (cuDNN 8's 9).
            assertEquals(CudnnStatus.number("CUDNN_STATUS_NOT_SUPPORTED"),
                    JCudnn.cudnnCreateDropoutDescriptor(new cudnnDropoutDescriptor()));
            assertEquals(CublasStatus.number("CUBLAS_STATUS_NOT_SUPPORTED"),
                    JCublas2.cublasSetAtomicsMode(new cublasHandle(), 0));
            assertTrue(d.name().contains("host stand-in"));
        }
    }

    @Test
    void aCudnnCallWithMismatchedDescriptorsIsRefused() {
        try (Device d = open()) {
            Dnn dnn = d.dnn();
            TensorDesc b = dnn.tensor(1, 3, 1, 1);
            TensorDesc y = dnn.tensor(2, 4, 5, 5);
            DevicePtr pb = d.memory().alloc(4L * 3);
            DevicePtr py = d.memory().alloc(4L * 2 * 4 * 5 * 5);
            DeviceException e = refused("cudnnAddTensor", "CUDNN_STATUS_BAD_PARAM",
                    () -> dnn.addTensor(1f, b, pb, 0f, y, py));
            assertTrue(e.getMessage().contains("1x3x1x1 onto 2x4x5x5"), e::getMessage);
        }
    }

    @Test
    void anAllocationDuringCaptureIsRefusedAndInvalidatesIt() {
        try (Device d = open()) {
            Stream s = d.streams().createStream();
            DevicePtr p = d.memory().alloc(64);
            d.streams().beginCapture(s);
            d.memory().setD32(p, 7, 16, s);
            refused("cuMemAlloc", "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED", () -> d.memory().alloc(64));
            refused("cuStreamEndCapture", "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED", () -> d.streams().endCapture(s));
        }
    }
}
