package org.alexnetcuda.device.sim;

import java.util.List;
import java.util.Map;

import org.alexnetcuda.device.Blas.Op;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.GraphExec;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.kernels.ReluKernels;
import org.junit.jupiter.api.Test;

import static org.alexnetcuda.device.sim.SimFixtures.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimDeviceTest {

    /** What StandinCallOrderTest compares: each call with its arguments, independent of this device's addresses. */
    @Test
    void recordsCallsWithTheirArgumentsByPositionNotAddress() {
        try (SimDevice d = new SimDevice()) {
            Stream s = d.streams().createStream();
            DevicePtr a = d.memory().alloc(4 * 16);
            DevicePtr c = d.memory().alloc(4 * 16);
            d.memory().copyToDevice(a, new float[16], 0, 16, s); // not recorded: before recordCalls
            d.recordCalls();
            d.memory().copyToDevice(a.plusFloats(4), new float[8], 2, 6, s);
            d.blas().sgemm(Op.T, Op.N, 2, 3, 4, 1.5f, a, 4, a, 4, 0f, c, 2);
            new ReluKernels(d.kernels()).forward(s, c, a, 16);
            d.dnn().tensor(1, 2, 3, 4);
            assertEquals(List.of(
                    "cuMemcpyHtoDAsync([64 B]+16, 24, stream #1)", "cuStreamSynchronize(stream #1)",
                    "cublasSgemm(F32, T, N, 2, 3, 4, 1.5, [64 B]+0, 4, [64 B]+0, 4, 0.0, [64 B]+0, 2)",
                    "cuModuleLoadDataEx(activation)",
                    "cuLaunchKernel(relu_forward, 1, 256, 0, stream #1, [[64 B]+0, [64 B]+0, 16])",
                    "cudnnCreateTensorDescriptor()", "cudnnSetTensor4dDescriptor(1, 2, 3, 4, F32)"), d.recordedCalls());
        }
    }

    @Test
    void countsEveryCallByItsCudaNameAndShowsThatAReplayAllocatesNothing() {
        try (SimDevice d = new SimDevice()) {
            Device api = d; // the engine sees only the interface
            assertEquals("simulator", api.name());
            Stream s = api.streams().createStream();
            DevicePtr a = api.memory().alloc(4 * 16);
            DevicePtr c = api.memory().alloc(4 * 16);
            api.memory().copyToDevice(a, new float[16], 0, 16, s);
            api.blas().setStream(s);
            api.streams().beginCapture(s);
            api.blas().sgemm(Op.N, Op.N, 4, 4, 4, 1f, a, 4, a, 4, 0f, c, 4);
            api.memory().setD32(a, 0, 16, s);
            GraphExec step = api.streams().instantiate(api.streams().endCapture(s));
            api.dnn().tensor(1, 2, 3, 4);
            api.memory().copyToHost(new float[16], 0, 16, c, s);

            long allocations = d.allocationCount();
            assertEquals(2, allocations);
            for (int i = 0; i < 5; i++) {
                api.streams().launch(step, s);
            }
            assertEquals(allocations, d.allocationCount(), "replaying the step allocates nothing");
            assertEquals(10, d.replayedNodes());

            Map<String, Long> counts = d.callCounts();
            assertEquals(2L, counts.get("cuMemAlloc"));
            assertEquals(1L, counts.get("cublasSgemm"), "counted when captured, not when replayed");
            assertEquals(5L, counts.get("cuGraphLaunch"));
            assertEquals(1L, counts.get("cuMemcpyHtoDAsync"));
            assertEquals(1L, counts.get("cuMemcpyDtoHAsync"));
            assertEquals(2L, counts.get("cuStreamSynchronize"), "each copy synchronises, as JCudaMemory's do");
            assertEquals(1L, counts.get("cudnnCreateTensorDescriptor"));
            assertEquals(1L, counts.get("cudnnSetTensor4dDescriptor"));
            assertEquals(counts.values().stream().mapToLong(Long::longValue).sum(), d.totalCalls());
            assertEquals(0, d.callCount("cudnnConvolutionForward"));

            d.resetCounts();
            assertTrue(d.callCounts().isEmpty());
            assertEquals(0, d.allocationCount());
        }
    }

    /** A GPU loads a kernel's module at its first launch, which cannot happen while a stream captures. */
    @Test
    void aModulesFirstLaunchIsRefusedDuringCaptureAndCapturedAfterAnEagerOne() {
        try (SimDevice d = new SimDevice()) {
            Stream s = d.streams().createStream();
            DevicePtr x = d.memory().alloc(4 * 16);
            d.memory().setD32(x, Float.floatToIntBits(-1f), 16, s);
            ReluKernels relu = new ReluKernels(d.kernels());
            d.streams().beginCapture(s);
            var refused = assertStatus("CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED", () -> relu.forward(s, x, x, 16));
            assertTrue(refused.getMessage().contains("cuModuleLoadDataEx (module activation"), refused.getMessage());
            assertStatus("CUDA_ERROR_STREAM_CAPTURE_INVALIDATED", () -> d.streams().endCapture(s));

            relu.forward(s, x, x, 16); // eager: loads the module
            d.memory().setD32(x, Float.floatToIntBits(-1f), 16, s);
            d.streams().beginCapture(s);
            relu.backward(s, x, x, x, 16); // same module: captured
            GraphExec exec = d.streams().instantiate(d.streams().endCapture(s));
            d.streams().launch(exec, s);
            assertEquals(0f, d.memory().readFloats(x, 16)[0]);
        }
    }

    /** cublasSetWorkspace as cuBLAS defines it: 256-byte aligned, inside an allocation, reset by cublasSetStream. */
    @Test
    void cublasWorkspaceIsCheckedAndResetBySetStream() {
        try (SimDevice d = new SimDevice()) {
            Stream s = d.streams().createStream();
            DevicePtr w = d.memory().alloc(1 << 16);
            assertStatus("CUBLAS_STATUS_INVALID_VALUE", () -> d.blas().setWorkspace(w.plus(4), 1024));
            assertStatus("CUDA_ERROR_ILLEGAL_ADDRESS", () -> d.blas().setWorkspace(w, 1 << 20));
            d.blas().setWorkspace(w.plus(256), 4096);
            assertEquals(4096, d.blas().workspaceBytes());
            d.blas().setStream(s);
            assertEquals(0, d.blas().workspaceBytes(), "cublasSetStream resets the workspace");
        }
    }

    @Test
    void failedCallsAreCountedAndCloseEndsTheContext() {
        SimDevice d = new SimDevice(1024);
        assertStatus("CUDA_ERROR_OUT_OF_MEMORY", () -> d.memory().alloc(2048));
        assertEquals(1, d.allocationCount());
        d.close();
        assertStatus("CUDA_ERROR_INVALID_CONTEXT", () -> d.streams().createStream());
        assertStatus("CUDA_ERROR_INVALID_CONTEXT", () -> d.dnn().tensor(1, 1, 1, 1));
        d.close();
    }
}
