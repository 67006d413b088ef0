package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.Blas;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.cpu.CpuEngine;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Precision;
import org.junit.jupiter.api.Test;

/**
 * What --precision asks of the libraries, as the simulator records it: cuBLAS's math mode on the handle and the
 * math type of every convolution descriptor. The simulator computes in FP32 in both, so only the modes are
 * checked here; what TF32 does to the numbers needs a GPU.
 */
class PrecisionSimTest {
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f),
            new AlexNet.Widths(4, 8, 8, 8, 8, 16));

    private static CudaEngine engine(SimDevice dev, Precision p) {
        Cifar10Reader.Splits data = Cifar10Reader.read(Path.of("test-data", "synth-small"), 16, 8);
        ParameterStore init = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, init, 3);
        return new CudaEngine(dev, new EngineConfig(1e-3f, 0f, 3, false, false, p), SPEC, init, data.train(),
                data.test(), 8, 16L << 20, true);
    }

    @Test
    void tf32SetsTensorOpMathOnEveryConvolutionAndTf32OnCublas() {
        try (SimDevice dev = new SimDevice(); CudaEngine e = engine(dev, Precision.TF32)) {
            assertEquals(Blas.MathMode.TF32, dev.blas().mathMode());
            assertEquals(Collections.nCopies(5, "CUDNN_TENSOR_OP_MATH"), dev.dnn().convolutionMathTypes());
            e.trainStep(null, 0, 8);
            assertEquals(1, dev.callCount("cublasSetMathMode"), "set once, before any step");
        }
    }

    @Test
    void fp32IsStrictFmaConvolutionsAndDefaultCublasMathSetExplicitly() {
        try (SimDevice dev = new SimDevice()) {
            dev.blas().setMathMode(Blas.MathMode.TF32); // a mode left over on the handle is overridden
            try (CudaEngine e = engine(dev, Precision.FP32)) {
                assertEquals(Blas.MathMode.DEFAULT, dev.blas().mathMode());
                assertEquals(List.of("CUDNN_FMA_MATH", "CUDNN_FMA_MATH", "CUDNN_FMA_MATH", "CUDNN_FMA_MATH",
                        "CUDNN_FMA_MATH"), dev.dnn().convolutionMathTypes());
            }
        }
    }

    @Test
    void theCpuEngineRefusesTf32() {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> new CpuEngine(
                new EngineConfig(1e-3f, 0f, 1, false, false, Precision.TF32), SPEC, SPEC.newParameterStore(), null, null));
        assertTrue(x.getMessage().contains("fp32 only"), x.getMessage());
    }
}
