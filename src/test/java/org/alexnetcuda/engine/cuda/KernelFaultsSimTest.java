package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.ParameterStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Failures on the kernel path as the program reports them, on the simulator, which fails a trapping kernel as a GPU
 * does: the launch returns, nothing runs after it, and the next wait for the device reports
 * CUDA_ERROR_LAUNCH_FAILED, as does every call after that. The planted fault is a permutation entry outside the
 * training set, which data_prepare_batch's KERNEL_REQUIRE(idx >= 0 && idx < count) refuses.
 */
class KernelFaultsSimTest {
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f),
            new AlexNet.Widths(4, 8, 8, 8, 8, 16));
    private static final Cifar10Reader.Splits DATA = Cifar10Reader.read(Path.of("test-data", "synth-small"), 32, 8);

    private static CudaEngine engine(SimDevice dev, boolean graphs) {
        ParameterStore init = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, init, 3);
        return new CudaEngine(dev, new EngineConfig(1e-3f, 0f, 3, false), SPEC, init, DATA.train(), DATA.test(), 8,
                16L << 20, graphs);
    }

    private static int[] identity() {
        int[] order = new int[DATA.train().size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return order;
    }

    @ParameterizedTest(name = "graphs {0}")
    @ValueSource(booleans = {true, false})
    void aTrapIsReportedAtTheNextWaitWithTheStepsItCanHaveBeenIn(boolean graphs) {
        try (SimDevice dev = new SimDevice()) {
            CudaEngine e = engine(dev, graphs);
            int[] good = identity();
            for (int s = 0; s < 3; s++) {
                e.trainStep(good, 8 * s, 8);  // with graphs: step 1 eager, step 2 captured, step 3 replayed
            }
            e.totals();  // waits: steps 1..3 ran
            int[] bad = identity();
            bad[9] = 1_000_000;  // in the batch of step 5
            e.trainStep(bad, 0, 8);   // step 4
            e.trainStep(bad, 8, 8);   // step 5: its data kernel traps; the launch itself succeeds
            e.trainStep(bad, 16, 8);  // step 6: queued on a failed context, runs nothing
            KernelFailureException f = assertThrows(KernelFailureException.class, e::totals);
            String m = f.getMessage();
            assertTrue(m.startsWith("a kernel failed on the device in one of the 3 operations queued since its last "
                    + "wait, from training step 4 to training step 6 (the device runs behind the host): "
                    + "cuMemcpyDtoHAsync: CUDA_ERROR_LAUNCH_FAILED"), m);
            assertTrue(m.contains("data_prepare_batch") && m.contains("idx >= 0 && idx < count"), m);
            assertTrue(m.contains("rerun with --no-graph and CUDA_LAUNCH_BLOCKING=1"), m);
            assertFalse(m.contains("\n"), "one line");
            assertEquals("CUDA_ERROR_LAUNCH_FAILED", f.status());
            // The context stays failed, and every later operation says so; closing says nothing more.
            DeviceException again = assertThrows(DeviceException.class, () -> e.trainStep(good, 0, 8));
            assertEquals("CUDA_ERROR_LAUNCH_FAILED", again.status());
            assertTrue(again.getMessage().startsWith("the device is unusable after the kernel failure reported "
                    + "earlier (in one of the 3 operations queued since its last wait, from training step 4 to training "
                    + "step 6 (the device runs behind the host)): "), again.getMessage());
            e.close();
        }
    }

    @Test
    void aTrapInTheStepAfterAWaitNamesThatStep() {
        try (SimDevice dev = new SimDevice(); CudaEngine e = engine(dev, true)) {
            int[] bad = identity();
            bad[3] = -1;
            e.trainStep(bad, 0, 8);
            KernelFailureException f = assertThrows(KernelFailureException.class, e::optimizerState);
            assertTrue(f.getMessage().startsWith("a kernel failed on the device in training step 1: "),
                    f.getMessage());
        }
    }

    @Test
    void underLaunchBlockingAReturnedOperationIsConfirmed() {
        KernelFaults blocking = new KernelFaults(true);
        blocking.queued("training step 1");
        blocking.returned();
        blocking.queued("training step 2");
        RuntimeException r = blocking.translate(new DeviceException("cuGraphLaunch", "CUDA_ERROR_ILLEGAL_ADDRESS", ""));
        assertTrue(r.getMessage().startsWith("a kernel failed on the device in training step 2: cuGraphLaunch: "
                + "CUDA_ERROR_ILLEGAL_ADDRESS"), r.getMessage());
        assertFalse(r.getMessage().contains("CUDA_LAUNCH_BLOCKING=1"), "already set: " + r.getMessage());
        assertTrue(blocking.failed());

        KernelFaults async = new KernelFaults(false);
        async.queued("training step 1");
        async.returned();
        async.queued("training step 2");
        assertTrue(async.translate(new DeviceException("cuStreamSynchronize", "CUDA_ERROR_LAUNCH_FAILED", ""))
                .getMessage().contains("from training step 1 to training step 2"));
        // Errors that are not a kernel's failure pass unchanged and leave the context usable.
        KernelFaults other = new KernelFaults(false);
        DeviceException bad = new DeviceException("cudnnConvolutionForward", "CUDNN_STATUS_BAD_PARAM", "x");
        assertSame(bad, other.translate(bad));
        IllegalStateException plain = new IllegalStateException("not a device error");
        assertSame(plain, other.translate(plain));
        assertFalse(other.failed());
    }

    /**
     * The pool fits, but the first step's module load does not (the simulator charges a module its PTX's size): the
     * program's out-of-memory report, naming the call, with a batch size to try.
     */
    @Test
    void aModuleLoadOutOfMemoryIsReportedAsOutOfDeviceMemory() {
        long afterConstruction;
        try (SimDevice probe = new SimDevice(); CudaEngine e = engine(probe, true)) {
            afterConstruction = probe.memory().usedBytes();
        }
        try (SimDevice dev = new SimDevice(afterConstruction + 4096); CudaEngine e = engine(dev, true)) {
            OutOfDeviceMemoryException oom = assertThrows(OutOfDeviceMemoryException.class,
                    () -> e.trainStep(identity(), 0, 8));
            assertTrue(oom.getMessage().startsWith("out of device memory: cuModuleLoadDataEx: CUDA_ERROR_OUT_OF_MEMORY ("),
                    oom.getMessage());
            assertTrue(oom.getMessage().contains("with the engine's pool of "), oom.getMessage());
            assertEquals(8, oom.batchSize());
            assertFalse(oom.getMessage().contains("\n"));
        }
    }
}
