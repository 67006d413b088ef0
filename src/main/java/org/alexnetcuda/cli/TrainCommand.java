package org.alexnetcuda.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.ParameterStore;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.Safetensors;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.train.EpochMetrics;
import org.alexnetcuda.train.TrainOptions;
import org.alexnetcuda.train.Trainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", description = "Train AlexNet on CIFAR-10 and print one line per epoch.",
        mixinStandardHelpOptions = true, sortOptions = false)
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--weight-decay", paramLabel = "L2", defaultValue = "0",
            description = "L2 penalty added to the gradient, as torch.optim.Adam's weight_decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seeds init, shuffling, dropout and augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-shuffle", description = "Keep the training set in file order (default: a new permutation each epoch).")
    boolean noShuffle;

    @Option(names = "--augment", description = "Random crop (4-pixel padding) and horizontal flip before the resize.")
    boolean augment;

    @Option(names = "--device", paramLabel = "gpu|sim|cpu", defaultValue = "gpu",
            description = "Engine: gpu (CUDA), sim (the CUDA engine on a CPU simulator of the GPU: slow, for debugging) "
                    + "or cpu (the reference engine) (default: ${DEFAULT-VALUE}).")
    DeviceChoice device;

    @Option(names = "--no-graph", description = "Run every GPU step eagerly instead of replaying a captured CUDA graph.")
    boolean noGraph;

    @Option(names = "--init-from", paramLabel = "FILE",
            description = "Start from these weights (safetensors, the notebook's state_dict names) instead of Xavier init.")
    Path initFrom;

    @Option(names = "--save-weights", paramLabel = "FILE", description = "Write the final weights (safetensors) here.")
    Path saveWeights;

    @Option(names = "--json", description = "At the end, print the epochs as one JSON object on stdout; human output goes to stderr.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintStream log = json ? System.err : System.out;
        TrainOptions options = new TrainOptions(epochs, batchSize, !noShuffle, seed);
        if (!(lr > 0 && Float.isFinite(lr))) {
            throw new IllegalArgumentException("--lr must be a positive number (got " + lr + ")");
        }
        NetworkSpec spec = model.network();
        Device dev = device.open();
        try {
            return train(log, options, spec, dev);
        } finally {
            if (dev != null) {
                dev.close(); // a no-op when the engine has closed it already
            }
        }
    }

    private int train(PrintStream log, TrainOptions options, NetworkSpec spec, Device dev) throws IOException {
        if (saveWeights != null) {
            Main.checkWritable(saveWeights);
        }
        Cifar10Reader.Splits splits = data.load(log);
        ParameterStore initial = spec.newParameterStore();
        if (initFrom != null) {
            Safetensors.load(initFrom, initial);
        } else {
            XavierInit.initialize(spec, initial, seed);
        }
        EngineConfig cfg = new EngineConfig(lr, weightDecay, seed, augment);
        try (Engine engine = device.create(dev, cfg, spec, initial, splits.train(), splits.test(), batchSize, !noGraph)) {
            log.printf("alexnet-cuda: %s; %,d parameters; input %dx%d; %d training and %d test images; batch %d%n",
                    engine.description(), spec.parameterCount(), spec.inputSize(), spec.inputSize(),
                    splits.train().size(), splits.test().size(), batchSize);
            List<EpochMetrics> metrics = new Trainer(engine, options, splits.train().size(), splits.test().size(), log, false)
                    .run(1);
            if (saveWeights != null) {
                engine.readParameters(initial);
                Safetensors.write(saveWeights, initial, Map.of("format", "pt", "producer", "alexnet-cuda"));
                log.println("weights written to " + saveWeights);
            }
            if (json) {
                System.out.println(toJson(metrics));
            }
        }
        return ExitCodes.OK;
    }

    static String toJson(List<EpochMetrics> metrics) {
        JsonArray arr = new JsonArray();
        for (EpochMetrics m : metrics) {
            JsonObject o = new JsonObject();
            o.addProperty("epoch", m.epoch());
            o.addProperty("train_loss", m.trainLoss());
            o.addProperty("test_loss", m.testLoss());
            o.addProperty("test_accuracy", m.testAccuracy());
            o.addProperty("seconds", m.seconds());
            o.addProperty("images_per_second", m.imagesPerSecond());
            arr.add(o);
        }
        JsonObject root = new JsonObject();
        root.add("epochs", arr);
        return new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(root);
    }
}
