package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.sim.SimDevice;

/** Mixed precision on the CPU simulator, which stores 16-bit tensors exactly as the GPU does. */
class MixedPrecisionSimTest extends MixedPrecisionContract {
    @Override
    Device newDevice() {
        return new SimDevice();
    }
}
