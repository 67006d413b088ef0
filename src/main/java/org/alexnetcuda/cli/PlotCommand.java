package org.alexnetcuda.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.alexnetcuda.train.EpochMetrics;
import org.alexnetcuda.train.MetricsChart;
import org.alexnetcuda.train.MetricsLog;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plot", description = "Draw a run's chart (train/test loss and test accuracy per epoch) from its metrics.json, as PNG.",
        mixinStandardHelpOptions = true, sortOptions = false)
public final class PlotCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "The run folder (it holds metrics.json).")
    Path runDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the PNG (default: RUN_DIR/chart.png).")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<EpochMetrics> history = MetricsLog.read(runDir);
        if (history.isEmpty()) {
            throw new IllegalArgumentException(runDir.resolve(MetricsLog.JSON) + ": no finished epoch to plot");
        }
        Path png = out != null ? out : runDir.resolve(MetricsChart.FILE);
        Main.checkWritable(png);
        MetricsChart.write(png, history, "AlexNet on CIFAR-10: " + runDir.toAbsolutePath().normalize().getFileName());
        System.out.println("wrote " + png + " (" + history.size() + " epochs)");
        return ExitCodes.OK;
    }
}
