package org.alexnetcuda.cli;

import java.util.concurrent.Callable;

import org.alexnetcuda.device.host.DeviceReport;

import picocli.CommandLine.Command;

@Command(name = "device", description = "Report the GPU, the driver and the CUDA libraries this program would use.",
        mixinStandardHelpOptions = true)
public final class DeviceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("alexnet-cuda " + Main.version() + " on Java " + System.getProperty("java.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        System.out.println("bindings: JCuda " + jcuda.JCudaVersion.get() + ", JCublas 12.6.0, JCudnn 11.7.0 API with "
                + "12.6.0 natives (cuDNN 9)");
        DeviceReport report = DeviceReport.collect();
        report.lines().forEach(System.out::println);
        if (report.problem().isPresent()) {
            System.out.println("no usable GPU: " + report.problem().get());
            return ExitCodes.NO_GPU;
        }
        return ExitCodes.OK;
    }
}
