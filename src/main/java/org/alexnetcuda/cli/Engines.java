package org.alexnetcuda.cli;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.cuda.CudaEngine;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.profile.ProfileSteps;
import org.alexnetcuda.tensor.ParameterStore;

/** The engine a --device choice means: the only place the commands build one. */
final class Engines {
    private Engines() {
    }

    /**
     * Opens the device (exit 3 with the reason where it cannot run) and builds its engine over these datasets;
     * closing the engine closes the device.
     *
     * @param maxBatch the largest batch the engine will be given
     * @param graphs   replay full-size steps as CUDA graphs (GPU and simulator)
     */
    static Engine create(DeviceChoice device, EngineConfig cfg, NetworkSpec spec, ParameterStore initial,
                         Cifar10Dataset train, Cifar10Dataset test, int maxBatch, boolean graphs) {
        return create(device, cfg, spec, initial, train, test, maxBatch, graphs, false, null);
    }

    /**
     * {@link #create} with profiling from the first step: NVTX ranges ({@code nvtx}) and the profiler window over
     * training steps {@code window} (null: none). Only the CUDA engine profiles; the commands refuse these options
     * with --device cpu first.
     */
    static Engine create(DeviceChoice device, EngineConfig cfg, NetworkSpec spec, ParameterStore initial,
                         Cifar10Dataset train, Cifar10Dataset test, int maxBatch, boolean graphs, boolean nvtx,
                         ProfileSteps window) {
        Device dev = device.open();
        Engine e = device.create(dev, cfg, spec, initial, train, test, maxBatch, graphs);
        if (e instanceof CudaEngine c && (nvtx || window != null)) {
            c.profile(nvtx, window);
        }
        return e;
    }
}
