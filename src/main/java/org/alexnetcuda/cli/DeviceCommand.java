package org.alexnetcuda.cli;

import java.util.concurrent.Callable;

import org.alexnetcuda.device.GpuProbe;

import picocli.CommandLine.Command;

@Command(name = "device", description = "Report the GPU, the driver and the CUDA libraries this program would use.",
        mixinStandardHelpOptions = true)
public final class DeviceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("alexnet-cuda " + Main.version() + " on Java " + System.getProperty("java.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        System.out.println("bindings: JCuda " + jcuda.JCudaVersion.get() + ", JCublas 12.6.0, JCudnn 11.7.0 API with 12.6.0 natives (cuDNN 9)");
        GpuProbe.Result r = GpuProbe.probe();
        if (!r.usable()) {
            System.out.println("CUDA: " + r.problem());
            System.out.println("no usable GPU; --device cpu runs the reference engine");
            return ExitCodes.NO_GPU;
        }
        System.out.println("CUDA driver: supports CUDA " + r.driverCudaVersion());
        for (GpuProbe.Gpu g : r.gpus()) {
            System.out.println(g);
        }
        return ExitCodes.OK;
    }
}
