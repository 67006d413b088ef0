package org.alexnetcuda.cli;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.host.CudaLibraries;
import org.alexnetcuda.device.host.HostCheck;
import org.alexnetcuda.device.host.HostProbe;
import org.alexnetcuda.device.host.HostProblemException;
import org.alexnetcuda.device.jcuda.JCudaDevice;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.cpu.CpuEngine;
import org.alexnetcuda.engine.cuda.CudaEngine;
import org.alexnetcuda.engine.cuda.MemoryEstimate;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.ParameterStore;

/**
 * Which engine runs a command: gpu (the CUDA engine on GPU 0), sim (the same CUDA engine on the CPU simulator of
 * the device API: slow, for debugging and tests) or cpu (the reference engine). Never falls back silently.
 */
public enum DeviceChoice {
    gpu, sim, cpu;

    /**
     * Checks, without opening it, that this host can run the device: for gpu the host diagnosis (driver, GPU, PTX
     * ISA, cuBLAS, cuDNN), so that a run fails in one line with exit code 3 before any data is read.
     */
    public void require() {
        if (this == gpu) {
            HostCheck.firstProblem(HostProbe.probe(CudaLibraries.prepare()).findings()).ifPresent(p -> {
                throw new NoGpuException("no usable GPU: " + p);
            });
        }
    }

    /**
     * Opens the device of this choice (null for cpu), so that a host that cannot run it fails before any data is
     * read: a missing driver, GPU or CUDA library is one line and exit code 3.
     */
    public Device open() {
        switch (this) {
            case cpu:
                return null;
            case sim:
                return new SimDevice();
            default:
                try {
                    return JCudaDevice.open(0);
                } catch (HostProblemException e) {
                    throw new NoGpuException("no usable GPU: " + firstLine(e.getMessage()));
                } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                    throw new NoGpuException("no usable GPU: a native library did not load (" + firstLine(e.getMessage())
                            + "); run `device` for the details, or use --device cpu");
                } catch (DeviceException e) {
                    throw new NoGpuException("the GPU could not be opened: " + e.getMessage());
                }
        }
    }

    /**
     * The engine for this choice on {@code device} (from {@link #open}); a CUDA engine owns and closes the device.
     *
     * @param maxBatch the largest batch the engine will be given
     * @param graphs   capture full-size steps as CUDA graphs (GPU and simulator)
     */
    public Engine create(Device device, EngineConfig config, NetworkSpec spec, ParameterStore initial,
                         Cifar10Dataset train, Cifar10Dataset test, int maxBatch, boolean graphs) {
        if (device == null) {
            return new CpuEngine(config, spec, initial, train, test);
        }
        try {
            return new CudaEngine(device, config, spec, initial, train, test, maxBatch,
                    MemoryEstimate.DEFAULT_WORKSPACE, graphs).closingDevice();
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown reason";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
