package org.alexnetcuda.device;

import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.kernels.Kernel;

/**
 * Our kernels: cuModuleLoadDataEx of the module's PTX (once, on first use), cuModuleGetFunction, cuLaunchKernel.
 * The typed launchers of org.alexnetcuda.kernels are the only callers; they know each kernel's parameters.
 */
public interface Kernels {
    /**
     * cuLaunchKernel with a one-dimensional grid and block.
     *
     * @param args one per kernel parameter: {@link DevicePtr} for pointers, Integer, Long, Float or Double for scalars
     */
    void launch(Kernel kernel, int gridX, int blockX, int sharedBytes, Stream stream, Object... args);
}
