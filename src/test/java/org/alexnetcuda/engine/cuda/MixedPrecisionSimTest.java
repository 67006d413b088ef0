package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Precision;
import org.junit.jupiter.api.Test;

/** Mixed precision on the CPU simulator, which stores 16-bit tensors exactly as the GPU does. */
class MixedPrecisionSimTest extends MixedPrecisionContract {
    @Override
    Device newDevice() {
        return new SimDevice();
    }

    /** bf16 needs Ampere's tensor cores: refused in one line on a Turing card before anything is allocated. */
    @Test
    void bf16IsRefusedBeforeAmpereAndFp16IsNot() {
        NetworkSpec spec = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f),
                new AlexNet.Widths(4, 8, 8, 8, 8, 16));
        ParameterStore init = spec.newParameterStore();
        try (SimDevice t4 = new SimDevice().simulatingComputeCapability(75)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CudaEngine(t4,
                    new EngineConfig(1e-3f, 0f, 1, false, false, Precision.BF16), spec, init, null, null, 8,
                    16L << 20, true));
            assertEquals("--precision bf16 needs a GPU of compute capability 8.0 or newer; simulator of compute "
                    + "capability 7.5: use fp16 or fp32", e.getMessage());
            assertEquals(0, t4.allocationCount(), "nothing allocated");
            try (CudaEngine fp16 = new CudaEngine(t4, new EngineConfig(1e-3f, 0f, 1, false, false, Precision.FP16),
                    spec, init, null, null, 8, 16L << 20, true)) {
                assertEquals(1, t4.allocationCount());
            }
        }
        try (SimDevice a100 = new SimDevice().simulatingComputeCapability(80);
             CudaEngine bf16 = new CudaEngine(a100, new EngineConfig(1e-3f, 0f, 1, false, false, Precision.BF16), spec,
                     init, null, null, 8, 16L << 20, true)) {
            assertEquals(1, a100.allocationCount());
        }
    }
}
