package org.alexnetcuda.cli;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.ParameterStore;
import org.alexnetcuda.model.NetworkSpec;

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
        Device dev = device.open();
        return device.create(dev, cfg, spec, initial, train, test, maxBatch, graphs);
    }
}
