package org.alexnetcuda.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.Totals;
import org.alexnetcuda.train.Trainer;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", description = "Evaluate weights or a checkpoint on the CIFAR-10 test set: loss, accuracy, per-class accuracy, confusion matrix.",
        mixinStandardHelpOptions = true, sortOptions = false)
public final class EvalCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    WeightsSource source;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    DeviceOptions deviceOptions;

    @Mixin
    PrecisionOption precision;

    @Mixin
    DeviceOptions.Graphs graphs;

    @Option(names = "--deterministic", description = "On the GPU, only deterministic cuDNN algorithms.")
    boolean deterministic;

    @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1 (got " + batchSize + ")");
        }
        org.alexnetcuda.tensor.Precision p = PrecisionOption.check(precision.value(), deviceOptions.device);
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        WeightsSource.Loaded w = source.load(model, pr::hasMatchedOption);
        deviceOptions.device.require();
        if (w.config() != null && !pr.hasMatchedOption("--data-dir")) {
            data.dataDir = Path.of(w.config().data().dir()); // the data the checkpoint was trained with
        }
        Cifar10Dataset test = data.loadTest(json ? System.err : System.out);
        int n = test.size();
        EngineConfig cfg = new EngineConfig(0f, 0f, 0, false, deterministic, p);
        try (Engine engine = Engines.create(deviceOptions.device, cfg, w.spec(), w.weights(), null, test, batchSize, !graphs.noGraph)) {
            Trainer.evaluate(engine, n, batchSize);
            Totals t = engine.totals();
            List<String> names = test.classNames();
            if (json) {
                System.out.println(toJson(t, names, w.from()));
            } else {
                System.out.printf("%s%nTest Loss=%s, Test Accuracy=%s (%d images)%n", w.from(), t.evalLoss(),
                        t.evalAccuracy(), n);
                printPerClass(t, names);
            }
        }
        return ExitCodes.OK;
    }

    private static void printPerClass(Totals t, List<String> names) {
        double[] acc = t.perClassAccuracy();
        long[][] cm = t.confusion();
        System.out.println();
        System.out.printf("%-12s %8s   confusion (rows: true class, columns: predicted)%n", "class", "accuracy");
        for (int c = 0; c < acc.length; c++) {
            StringBuilder row = new StringBuilder();
            for (long v : cm[c]) {
                row.append(String.format("%6d", v));
            }
            String name = c < names.size() ? names.get(c) : String.valueOf(c);
            System.out.printf("%-12s %8.4f  %s%n", name, acc[c], row);
        }
    }

    static String toJson(Totals t, List<String> names, String from) {
        JsonObject o = new JsonObject();
        o.addProperty("weights", from);
        o.addProperty("images", t.evalSamples());
        o.addProperty("loss", t.evalLoss());
        o.addProperty("accuracy", t.evalAccuracy());
        JsonArray classes = new JsonArray();
        names.forEach(classes::add);
        o.add("classes", classes);
        JsonArray per = new JsonArray();
        for (double a : t.perClassAccuracy()) {
            per.add(a);
        }
        o.add("per_class_accuracy", per);
        JsonArray cm = new JsonArray();
        for (long[] row : t.confusion()) {
            JsonArray r = new JsonArray();
            for (long v : row) {
                r.add(v);
            }
            cm.add(r);
        }
        o.add("confusion", cm);
        return new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(o);
    }
}
