package org.alexnetcuda.cli;

import org.alexnetcuda.device.GpuProbe;

/** Which engine runs a command. */
public enum DeviceChoice {
    gpu, cpu;

    /**
     * Checks that the chosen device can run. The CUDA engine is not part of this build yet, so on a GPU host
     * the message says so rather than falling back to the CPU without a word.
     */
    public void require() {
        if (this != gpu) {
            return;
        }
        GpuProbe.Result r = GpuProbe.probe();
        if (!r.usable()) {
            throw new NoGpuException("no usable GPU: " + r.problem() + "; run with --device cpu to train on the CPU");
        }
        throw new NoGpuException("found " + r.gpus().get(0).name() + " (driver CUDA " + r.driverCudaVersion()
                + ") but this build has no CUDA engine yet; run with --device cpu");
    }
}
