package org.alexnetcuda.cli;

import java.util.concurrent.Callable;

import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.jcuda.JCudaDevice;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.Precision;
import org.alexnetcuda.train.Benchmark;
import org.alexnetcuda.train.FlopFloor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", description = {
        "Measure steady-state training and inference speed and each layer's forward and backward time.",
        "Also device memory, achieved TFLOP/s, and each layer's gap to the time its FLOPs need at --peak-tflops."},
        mixinStandardHelpOptions = true, sortOptions = false)
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Steps run before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "5", description = "Steps measured (default: ${DEFAULT-VALUE}).")
    int steps;

    @Mixin
    DeviceOptions deviceOptions;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--peak-tflops", paramLabel = "TFLOPS",
            description = "Peak the per-layer floors are computed against (default: the H100 SXM's, 67 for fp32, 495 "
                    + "for tf32 and 989 for fp16 and bf16 (dense), from NVIDIA's datasheet).")
    Double peakTflops;

    @Mixin
    DeviceOptions.Graphs graphs;

    @Mixin
    ProfileOptions profile;

    @Option(names = "--json", description = "Print the result as one JSON object (fields: docs/performance.md).")
    boolean json;

    @Override
    public Integer call() {
        if (batchSize < 1 || warmup < 0 || steps < 1) {
            throw new IllegalArgumentException("--batch-size and --steps must be at least 1, --warmup at least 0");
        }
        Precision p = PrecisionOption.check(precision.value(), deviceOptions.device);
        profile.check(deviceOptions.device);
        if (peakTflops != null && !(peakTflops > 0 && peakTflops < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--peak-tflops must be a positive number (got " + peakTflops + ")");
        }
        double peak = peakTflops != null ? peakTflops : FlopFloor.defaultPeak(p);
        String peakSource = peakTflops != null ? "--peak-tflops" : FlopFloor.defaultPeakSource(p);
        NetworkSpec spec = model.network();
        Benchmark.Result r;
        String deviceName;
        BenchReport.Versions versions = null;
        Device dev = deviceOptions.device.open();
        try {
            deviceName = dev == null ? "cpu" : dev.name();
            if (dev instanceof JCudaDevice j) {
                versions = BenchReport.Versions.of(j);
            }
            r = dev == null ? Benchmark.runCpu(spec, batchSize, warmup, steps, 1)
                    : Benchmark.runCuda(dev, spec, new Benchmark.Options(batchSize, warmup, steps, 1, !graphs.noGraph, p,
                            profile.nvtx, profile.window()));
        } finally {
            if (dev != null) {
                dev.close();
            }
        }
        BenchReport report = new BenchReport(r, new FlopFloor(r, peak), peakSource, deviceName, versions, !graphs.noGraph,
                profile.profileSteps == null ? null : profile.window().toString());
        if (json) {
            System.out.println(report.toJson());
        } else {
            report.print(System.out);
        }
        return ExitCodes.OK;
    }
}
