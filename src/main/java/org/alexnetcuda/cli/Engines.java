package org.alexnetcuda.cli;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.ParameterStore;
import org.alexnetcuda.engine.cpu.CpuEngine;
import org.alexnetcuda.model.NetworkSpec;

/** The engine a --device choice means. */
final class Engines {
    private Engines() {
    }

    /** Checks the device is usable (exit 3 otherwise), then builds its engine over these datasets. */
    static Engine create(DeviceChoice device, EngineConfig cfg, NetworkSpec spec, ParameterStore initial,
                         Cifar10Dataset train, Cifar10Dataset test) {
        device.require();
        return new CpuEngine(cfg, spec, initial, train, test);
    }
}
