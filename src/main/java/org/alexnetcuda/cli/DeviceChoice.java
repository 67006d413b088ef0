package org.alexnetcuda.cli;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.GpuProbe;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.ParameterStore;
import org.alexnetcuda.engine.cpu.CpuEngine;
import org.alexnetcuda.engine.cuda.CudaEngine;
import org.alexnetcuda.model.MemoryEstimate;
import org.alexnetcuda.model.NetworkSpec;

/**
 * Which engine runs a command: gpu (the CUDA engine on the GPU), sim (the same CUDA engine on the CPU simulator
 * of the device API: slow, for debugging and tests) or cpu (the reference engine).
 */
public enum DeviceChoice {
    gpu, sim, cpu;

    /** Checks that the chosen device can run, before any data is read. */
    public void require() {
        if (this != gpu) {
            return;
        }
        GpuProbe.Result r = GpuProbe.probe();
        if (!r.usable()) {
            throw new NoGpuException("no usable GPU: " + r.problem() + "; run with --device cpu to train on the CPU");
        }
        throw new NoGpuException("found " + r.gpus().get(0).name() + " (driver CUDA " + r.driverCudaVersion()
                + ") but this build has no JCuda device binding yet; run with --device cpu or --device sim");
    }

    /**
     * The engine for this device, owning whatever device it opens.
     *
     * @param maxBatch the largest batch the engine will be given
     * @param graphs   capture full-size steps as CUDA graphs (GPU and simulator)
     */
    public Engine create(EngineConfig config, NetworkSpec spec, ParameterStore initial, Cifar10Dataset train,
                         Cifar10Dataset test, int maxBatch, boolean graphs) {
        if (this == cpu) {
            return new CpuEngine(config, spec, initial, train, test);
        }
        require();
        Device device = new SimDevice();
        try {
            return new CudaEngine(device, config, spec, initial, train, test, maxBatch,
                    MemoryEstimate.DEFAULT_WORKSPACE, graphs).closingDevice();
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }
}
