package org.alexnetcuda.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * The CUDA engine, unchanged, on the CPU simulator of the device API: the same code that runs on a GPU, every
 * cuDNN, cuBLAS and kernel call checked by the simulator, compared with the CPU reference engine.
 */
class CudaEngineSimTest extends CudaEngineContract {
    @Override
    Device newDevice() {
        return new SimDevice();
    }

    @Test
    void tooLittleDeviceMemoryNamesTheNeedTheFreeAndTheLargestBatchThatFits() {
        NetworkSpec spec = AlexNet.build(ModelConfig.NOTEBOOK);
        Cifar10Reader.Splits data = Cifar10Reader.read(Path.of("test-data", "synth-small"), 64, 32);
        ParameterStore init = spec.newParameterStore();
        long capacity = new MemoryPlan(spec, 16, 64, 32, 64L << 20).totalBytes() + (1L << 20);
        try (SimDevice dev = new SimDevice(capacity)) {
            OutOfDeviceMemoryException e = assertThrows(OutOfDeviceMemoryException.class, () -> new CudaEngine(dev,
                    new EngineConfig(1e-3f, 0f, 1, false), spec, init, data.train(), data.test(), 256, 64L << 20, true));
            assertTrue(e.getMessage().startsWith("out of device memory: batch size 256 needs "), e.getMessage());
            assertTrue(e.largestBatch() >= 16 && e.largestBatch() < 256, e.getMessage());
            assertEquals(0, dev.allocationCount(), "nothing allocated");
            // The suggested batch size does fit.
            try (CudaEngine ok = new CudaEngine(dev, new EngineConfig(1e-3f, 0f, 1, false), spec, init, data.train(),
                    data.test(), e.largestBatch(), 64L << 20, true)) {
                assertEquals(1, dev.allocationCount());
            }
        }
    }
}
