package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.sim.SimDevice;

/**
 * The CUDA engine, unchanged, on the CPU simulator of the device API: the same code that runs on a GPU, every
 * cuDNN, cuBLAS and kernel call checked by the simulator, compared with the CPU reference engine.
 */
class CudaEngineSimTest extends CudaEngineContract {
    @Override
    Device newDevice() {
        return new SimDevice();
    }
}
