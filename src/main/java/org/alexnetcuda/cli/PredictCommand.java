package org.alexnetcuda.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.data.EpochBatches;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.predict.ImageFiles;
import org.alexnetcuda.predict.Prediction;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", description = {"Classify PNG or JPEG images with a checkpoint or weights: the top classes with their probabilities.",
        "Any size: each image is reduced to 32x32 by pixel-area averaging, then preprocessed exactly as in training."},
        mixinStandardHelpOptions = true, sortOptions = false)
public final class PredictCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    WeightsSource source;

    @Parameters(paramLabel = "IMAGE|DIR", arity = "1..*",
            description = "Image files, or folders whose .png, .jpg and .jpeg files are all classified.")
    List<Path> inputs;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Classes shown per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    ModelOptions model;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    DeviceOptions deviceOptions;

    @Option(names = "--json", description = "Print the predictions as one JSON object on stdout.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1 (got " + batchSize + ")");
        }
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        WeightsSource.Loaded w = source.load(model, pr::hasMatchedOption);
        int classes = w.spec().outputShape(1).c();
        if (top < 1 || top > classes) {
            throw new IllegalArgumentException("--top must be between 1 and " + classes + " (got " + top + ")");
        }
        deviceOptions.device.require();
        List<Path> files = ImageFiles.expand(inputs);
        List<String> names = w.names(classes);
        Cifar10Dataset images = ImageFiles.read(files, names);
        List<Prediction> out = new ArrayList<>();
        try (Engine engine = Engines.create(deviceOptions.device, new EngineConfig(0f, 0f, 0, false), w.spec(), w.weights(), null, images,
                batchSize, true)) {
            for (EpochBatches.Batch b : EpochBatches.of(files.size(), batchSize, false, 0, 0)) {
                float[] logits = engine.logits(b.indices(), b.from(), b.count());
                for (int i = 0; i < b.count(); i++) {
                    out.add(Prediction.of(files.get(b.from() + i), logits, i * classes, classes, top));
                }
            }
        }
        if (json) {
            System.out.println(toJson(out, names, w.from()));
        } else {
            for (Prediction p : out) {
                System.out.println(p.format(names));
            }
        }
        return ExitCodes.OK;
    }

    static String toJson(List<Prediction> predictions, List<String> names, String from) {
        JsonArray arr = new JsonArray();
        for (Prediction p : predictions) {
            JsonObject o = new JsonObject();
            o.addProperty("file", p.file().toString());
            JsonArray topk = new JsonArray();
            for (int k = 0; k < p.classes().length; k++) {
                JsonObject c = new JsonObject();
                c.addProperty("class", names.get(p.classes()[k]));
                c.addProperty("index", p.classes()[k]);
                c.addProperty("probability", p.probabilities()[k]);
                topk.add(c);
            }
            o.add("top", topk);
            arr.add(o);
        }
        JsonObject root = new JsonObject();
        root.addProperty("weights", from);
        root.add("predictions", arr);
        return new GsonBuilder().create().toJson(root);
    }
}
