package org.alexnetcuda.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.alexnetcuda.engine.cuda.MemoryEstimate;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.NetworkSpec;

/** The table printed before training and the summary printed after it. */
public final class RunReport {
    private static final String ROW = "  %-18s %s%n";

    private RunReport() {
    }

    /** Configuration, device, precision, parameter count and memory plan. */
    public static void printStart(PrintStream out, RunConfig c, NetworkSpec spec, String device, Path runDir,
                                  TrainPosition start, long step, Path resumedFrom) {
        var m = c.model();
        var w = c.widths();
        var d = c.data().fingerprint();
        var t = c.training();
        out.println("alexnet-cuda training run");
        out.printf(ROW, "run folder", runDir);
        if (resumedFrom != null) {
            out.printf(ROW, "resumed from", resumedFrom + " (" + start + ", step " + step + ")");
        }
        out.printf(ROW, "device", device);
        out.printf(ROW, "precision", c.precision() + " (" + c.precision().description()
                + (!c.device().equals("sim") ? "" : c.precision().storage().isHalf()
                ? "; the simulator stores 16-bit tensors exactly and computes in FP32"
                : c.precision() != org.alexnetcuda.tensor.Precision.FP32
                ? "; the simulator records the math modes and computes in FP32" : "") + ")");
        out.printf(ROW, "deterministic", c.deterministic() ? "yes (deterministic GPU algorithms)"
                : c.device().equals("cpu") ? "yes (the CPU engine always is)" : "no (fastest GPU algorithms)");
        out.printf(ROW, "network", "AlexNet, input " + m.inputSize() + "x" + m.inputSize() + ", " + m.numClasses()
                + " classes, LRN after " + m.lrn() + ", dropout " + m.dropout()
                + (w.equals(AlexNet.NOTEBOOK_WIDTHS) ? "" : ", widths " + w.conv1() + "/"
                + w.conv2() + "/" + w.conv3() + "/" + w.conv4() + "/" + w.conv5() + "/" + w.fc()));
        out.printf(ROW, "parameters", String.format("%,d (%s as float32)", spec.parameterCount(),
                MemoryEstimate.mib(4 * spec.parameterCount())));
        out.printf(ROW, "data", c.data().dir() + ": " + d.trainImages() + " training, " + d.testImages() + " test images");
        out.printf(ROW, "epochs", t.epochs() + (start.equals(TrainPosition.START) ? "" : " (continuing at " + start + ")"));
        out.printf(ROW, "batch size", t.batchSize());
        out.printf(ROW, "optimizer", "Adam, lr " + c.lr() + ", betas (" + RunConfig.ADAM_BETA1 + ", " + RunConfig.ADAM_BETA2
                + "), eps " + RunConfig.ADAM_EPS + ", weight decay " + c.weightDecay());
        out.printf(ROW, "seed", t.seed() + (t.shuffle() ? ", shuffled" : ", file order") + (c.augment() ? ", augmented" : ""));
        out.printf(ROW, "checkpoints", "every epoch" + (c.checkpointEvery() > 0 ? " and every " + c.checkpointEvery()
                + " steps" : "") + ", keeping the last " + c.keep());
        MemoryEstimate mem = new MemoryEstimate(spec, t.batchSize(), d.trainImages() + (long) d.testImages(),
                MemoryEstimate.DEFAULT_WORKSPACE, c.precision().storage());
        out.printf(ROW, "memory plan", "device memory for batch " + t.batchSize() + " (estimate): " + MemoryEstimate.mib(mem.total()));
        for (Map.Entry<String, Long> e : mem.parts().entrySet()) {
            out.printf("  %-18s   %-46s %12s%n", "", e.getKey(), MemoryEstimate.mib(e.getValue()));
        }
    }

    /** Epochs, final and best metrics, time, where the results are. */
    public static void printEnd(PrintStream out, TrainingRun.Result r, Path runDir, Path weights) {
        List<EpochMetrics> h = r.history();
        out.println();
        out.println("Training finished");
        if (!h.isEmpty()) {
            EpochMetrics last = h.get(h.size() - 1);
            EpochMetrics best = h.stream().max((a, b) -> Double.compare(a.testAccuracy(), b.testAccuracy())).get();
            out.printf(ROW, "epochs", h.size());
            out.printf(ROW, "final", "Train Loss=" + last.trainLoss() + ", Test Loss=" + last.testLoss()
                    + ", Test Accuracy=" + last.testAccuracy());
            out.printf(ROW, "best accuracy", best.testAccuracy() + " (epoch " + best.epoch() + ")");
        }
        if (r.lossScale() != null) {
            out.printf(ROW, "loss scale", String.format("%.0f (fp16), %d step%s skipped for non-finite gradients",
                    r.lossScale().scale(), r.lossScale().skippedSteps(), r.lossScale().skippedSteps() == 1 ? "" : "s"));
        }
        out.printf(ROW, "time", format(r.sessionSeconds()) + " this session, " + format(r.totalSeconds()) + " in all");
        out.printf(ROW, "checkpoint", r.lastCheckpoint());
        out.printf(ROW, "metrics", runDir.resolve(MetricsLog.CSV) + ", " + runDir.resolve(MetricsLog.JSON));
        out.printf(ROW, "chart", runDir.resolve(MetricsChart.FILE));
        if (weights != null) {
            out.printf(ROW, "weights", weights);
        }
    }

    static String format(double seconds) {
        Duration d = Duration.ofMillis(Math.round(seconds * 1000));
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
