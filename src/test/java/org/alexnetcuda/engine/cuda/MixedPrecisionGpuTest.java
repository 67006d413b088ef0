package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.Device;
import org.alexnetcuda.gpu.GpuSupport;
import org.junit.jupiter.api.Tag;

/**
 * Mixed precision on a real GPU: FP16/BF16 tensor cores accumulate in FP32 in another order than the simulator,
 * well inside the format bounds of the contract; cuDNN's atomics make graph replay and eager runs agree to 1e-3
 * after four steps rather than bit for bit.
 */
@Tag("gpu")
class MixedPrecisionGpuTest extends MixedPrecisionContract {
    @Override
    Device newDevice() {
        return GpuSupport.open();
    }

    /** The same kernel; only the FMA contraction of a different compiler could differ in the last bit. */
    @Override
    double adamBound() {
        return 1e-6;
    }

    @Override
    double replayBound() {
        return 1e-3;
    }
}
