package org.alexnetcuda.gpu;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.cuda.CudaEngine;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.profile.Nvtx;
import org.alexnetcuda.profile.ProfileSteps;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Precision;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the simulator can only record: that tf32 really changes the GPU's arithmetic (and stays close to fp32), and
 * that the profiler calls and the NVTX library work on a real device with no profiler attached.
 */
@Tag("gpu")
class GpuPrecisionProfilingTest {
    private static final Path SYNTH = Path.of("test-data", "synth-small");
    /** The notebook's channel counts at a small input: real-sized GEMMs, where cuBLAS and cuDNN use tensor cores. */
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(99, 10, LrnPlacement.CONV2, 0.5f),
            AlexNet.NOTEBOOK_WIDTHS);

    private static float[] logits(Precision p, int n) {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 64, 64);
        ParameterStore init = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, init, 3);
        try (Device dev = GpuSupport.open();
             CudaEngine e = new CudaEngine(dev, new EngineConfig(1e-3f, 0f, 3, false, false, p), SPEC, init,
                     data.train(), data.test(), n, 256L << 20, true)) {
            return e.logits(null, 0, n);
        }
    }

    @Test
    void tf32ChangesTheArithmeticButStaysClose() {
        try (Device dev = GpuSupport.open()) {
            GpuSupport.skipOnStandin(dev, "tf32's arithmetic is the real cuBLAS's and cuDNN's; the simulator computes "
                    + "tf32 in fp32");
        }
        int n = 64;
        float[] fp32 = logits(Precision.FP32, n);
        float[] tf32 = logits(Precision.TF32, n);
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < fp32.length; i++) {
            diff += (double) (tf32[i] - fp32[i]) * (tf32[i] - fp32[i]);
            ref += (double) fp32[i] * fp32[i];
        }
        double rel = Math.sqrt(diff / ref);
        System.out.printf("GPU logits, tf32 against fp32: norm-wise relative difference %.3g%n", rel);
        assertNotEquals(0.0, rel, "tf32 gave the very same logits as fp32: the math modes did not take effect");
        assertTrue(rel < 2e-2, "tf32 is too far from fp32: " + rel);
    }

    @Test
    void profilerWindowAndNvtxWorkWithoutAProfiler() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 64, 32);
        ParameterStore init = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, init, 3);
        try (Device dev = GpuSupport.open();
             CudaEngine e = new CudaEngine(dev, new EngineConfig(1e-3f, 0f, 3, false), SPEC, init, data.train(),
                     data.test(), 32, 256L << 20, true)) {
            e.profile(true, new ProfileSteps(2, 3));
            for (int s = 0; s < 4; s++) {
                e.trainStep(null, 0, 32);
            }
            assertTrue(Double.isFinite(e.totals().trainLoss()));
            System.out.println("GPU profiling: " + e.profiling());
            assertTrue(Nvtx.status().startsWith("on"), Nvtx.status());
        } finally {
            Nvtx.disable();
        }
    }
}
