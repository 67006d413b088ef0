package org.alexnetcuda.cli;

import org.alexnetcuda.device.GpuProbe;
import org.alexnetcuda.device.host.CudaLibraries;
import org.alexnetcuda.device.host.HostCheck;
import org.alexnetcuda.device.host.HostProbe;

/** Which engine runs a command. */
public enum DeviceChoice {
    gpu, cpu;

    /**
     * Checks that the chosen device can run: on this host's driver, GPU and CUDA libraries
     * ({@link HostCheck}), with a one-line reason otherwise. The CUDA engine is not part of this build yet, so
     * on a GPU host the message says so rather than falling back to the CPU without a word.
     */
    public void require() {
        if (this != gpu) {
            return;
        }
        HostCheck.firstProblem(HostProbe.probe(CudaLibraries.prepare()).findings()).ifPresent(p -> {
            throw new NoGpuException("no usable GPU: " + p);
        });
        GpuProbe.Result r = GpuProbe.probe();
        String gpu = r.gpus().isEmpty() ? "a GPU" : r.gpus().get(0).name();
        throw new NoGpuException("found " + gpu + " (driver CUDA " + r.driverCudaVersion()
                + ") but this build has no CUDA engine yet; run with --device cpu");
    }
}
