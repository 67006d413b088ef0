package org.alexnetcuda.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.ParameterStore;
import org.alexnetcuda.engine.Totals;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.Safetensors;
import org.alexnetcuda.train.Trainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", description = "Evaluate weights on the CIFAR-10 test set: loss, accuracy, per-class accuracy, confusion matrix.",
        mixinStandardHelpOptions = true, sortOptions = false)
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--weights", paramLabel = "FILE", required = true, description = "Weights to evaluate (safetensors).")
    Path weights;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--device", paramLabel = "gpu|sim|cpu", defaultValue = "gpu",
            description = "Engine: gpu (CUDA), sim (the CUDA engine on a CPU simulator of the GPU: slow, for debugging) "
                    + "or cpu (the reference engine) (default: ${DEFAULT-VALUE}).")
    DeviceChoice device;

    @Option(names = "--no-graph", description = "Run every GPU step eagerly instead of replaying a captured CUDA graph.")
    boolean noGraph;

    @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1 (got " + batchSize + ")");
        }
        NetworkSpec spec = model.network();
        ParameterStore params = spec.newParameterStore();
        Safetensors.load(weights, params);
        Device dev = device.open();
        try {
            return evaluate(spec, params, dev);
        } finally {
            if (dev != null) {
                dev.close(); // a no-op when the engine has closed it already
            }
        }
    }

    private int evaluate(NetworkSpec spec, ParameterStore params, Device dev) {
        Cifar10Dataset test = data.loadTest(json ? System.err : System.out);
        int n = test.size();
        try (Engine engine = device.create(dev, new EngineConfig(1e-3f, 0f, 0, false), spec, params, null, test, batchSize, !noGraph)) {
            Trainer.evaluate(engine, n, batchSize);
            Totals t = engine.totals();
            List<String> names = test.classNames();
            if (json) {
                System.out.println(toJson(t));
            } else {
                System.out.printf("Test Loss=%s, Test Accuracy=%s (%d images)%n", t.evalLoss(), t.evalAccuracy(), n);
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

    static String toJson(Totals t) {
        JsonObject o = new JsonObject();
        o.addProperty("loss", t.evalLoss());
        o.addProperty("accuracy", t.evalAccuracy());
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
