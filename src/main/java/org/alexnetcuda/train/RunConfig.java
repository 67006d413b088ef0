package org.alexnetcuda.train;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.Precision;

/**
 * The full configuration of a training run, as a checkpoint records it: with it and the checkpoint's state a run
 * continues exactly. {@link #ADAM_BETA1}, {@link #ADAM_BETA2} and {@link #ADAM_EPS} are fixed (PyTorch's defaults)
 * and recorded for the reader.
 *
 * @param model           input size, classes, LRN placement, dropout
 * @param widths          channel counts of conv1..conv5 and the fc width (the notebook's unless a test narrows them)
 * @param data            where the data came from, the limits, and the fingerprint of what was read
 * @param training        epochs, batch size, shuffle, seed
 * @param lr              Adam's learning rate
 * @param weightDecay     Adam's L2 weight decay
 * @param augment         random crop and flip
 * @param deterministic   deterministic GPU algorithms
 * @param precision       fp32, tf32, fp16 or bf16; a resumed run may change it (the master
 *                        weights and Adam's moments are FP32 either way), but then it is no longer bit for bit
 *                        the uninterrupted run
 * @param device          "cpu", "sim" or "gpu"
 * @param checkpointEvery also checkpoint every this many steps (0: only at the end of each epoch)
 * @param keep            checkpoints kept in the run directory
 */
public record RunConfig(ModelConfig model, AlexNet.Widths widths, DataConfig data, TrainOptions training,
                        float lr, float weightDecay, boolean augment, boolean deterministic, Precision precision,
                        String device, int checkpointEvery, int keep) {

    public static final double ADAM_BETA1 = 0.9;
    public static final double ADAM_BETA2 = 0.999;
    public static final double ADAM_EPS = 1e-8;

    /**
     * @param dir         the data folder, for the reader only (a resumed run may read the same data elsewhere)
     * @param limitTrain  --limit-train (0: all)
     * @param limitTest   --limit-test (0: all)
     * @param fingerprint what was read
     */
    public record DataConfig(String dir, int limitTrain, int limitTest, DatasetFingerprint fingerprint) {
    }

    /** A strict-FP32 run (the configuration before --precision existed). */
    public RunConfig(ModelConfig model, AlexNet.Widths widths, DataConfig data, TrainOptions training, float lr,
                     float weightDecay, boolean augment, boolean deterministic, String device, int checkpointEvery,
                     int keep) {
        this(model, widths, data, training, lr, weightDecay, augment, deterministic, Precision.FP32, device,
                checkpointEvery, keep);
    }

    public RunConfig {
        java.util.Objects.requireNonNull(precision, "precision");
        if (!(lr > 0 && Float.isFinite(lr))) {
            throw new IllegalArgumentException("--lr must be a positive number (got " + lr + ")");
        }
        if (!(weightDecay >= 0 && Float.isFinite(weightDecay))) {
            throw new IllegalArgumentException("--weight-decay must be a number >= 0 (got " + weightDecay + ")");
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be 0 (only at epoch ends) or a positive number of steps (got "
                    + checkpointEvery + ")");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("--keep must be at least 1 (got " + keep + ")");
        }
    }

    /** The network this configuration trains (IllegalArgumentException if the input size leaves a layer empty). */
    public NetworkSpec network() {
        AlexNet.buildChecked(model);
        return AlexNet.build(model, widths);
    }

    public EngineConfig engineConfig() {
        return new EngineConfig(lr, weightDecay, training.seed(), augment, deterministic, precision);
    }

    public RunConfig withLr(float newLr) {
        return new RunConfig(model, widths, data, training, newLr, weightDecay, augment, deterministic, precision, device,
                checkpointEvery, keep);
    }

    public RunConfig withEpochs(int epochs) {
        TrainOptions t = new TrainOptions(epochs, training.batchSize(), training.shuffle(), training.seed());
        return new RunConfig(model, widths, data, t, lr, weightDecay, augment, deterministic, precision, device,
                checkpointEvery, keep);
    }

    /** The options a resumed run may change freely: device, determinism, checkpoint policy, data folder. */
    public RunConfig withSession(String newDevice, boolean newDeterministic, int newEvery, int newKeep, String newDataDir) {
        DataConfig d = new DataConfig(newDataDir, data.limitTrain(), data.limitTest(), data.fingerprint());
        return new RunConfig(model, widths, d, training, lr, weightDecay, augment, newDeterministic, precision, newDevice,
                newEvery, newKeep);
    }

    /** A resumed run's precision, which it may change like the device. */
    public RunConfig withPrecision(Precision p) {
        return new RunConfig(model, widths, data, training, lr, weightDecay, augment, deterministic, p, device,
                checkpointEvery, keep);
    }

    public JsonObject toJson() {
        JsonObject m = new JsonObject();
        m.addProperty("architecture", "alexnet");
        m.addProperty("input_size", model.inputSize());
        m.addProperty("classes", model.numClasses());
        m.addProperty("lrn", model.lrn().option());
        m.addProperty("dropout", model.dropout());
        JsonObject w = new JsonObject();
        w.addProperty("conv1", widths.conv1());
        w.addProperty("conv2", widths.conv2());
        w.addProperty("conv3", widths.conv3());
        w.addProperty("conv4", widths.conv4());
        w.addProperty("conv5", widths.conv5());
        w.addProperty("fc", widths.fc());
        m.add("widths", w);

        JsonObject d = new JsonObject();
        d.addProperty("dir", data.dir());
        d.addProperty("limit_train", data.limitTrain());
        d.addProperty("limit_test", data.limitTest());
        DatasetFingerprint f = data.fingerprint();
        d.addProperty("train_images", f.trainImages());
        d.addProperty("test_images", f.testImages());
        d.addProperty("train_crc32c", f.trainCrc32c());
        d.addProperty("test_crc32c", f.testCrc32c());
        JsonArray names = new JsonArray();
        f.classNames().forEach(names::add);
        d.add("class_names", names);

        JsonObject t = new JsonObject();
        t.addProperty("epochs", training.epochs());
        t.addProperty("batch_size", training.batchSize());
        t.addProperty("shuffle", training.shuffle());
        t.addProperty("augment", augment);
        t.addProperty("seed", training.seed());

        JsonObject o = new JsonObject();
        o.addProperty("name", "adam");
        o.addProperty("lr", lr);
        JsonArray betas = new JsonArray();
        betas.add(ADAM_BETA1);
        betas.add(ADAM_BETA2);
        o.add("betas", betas);
        o.addProperty("eps", ADAM_EPS);
        o.addProperty("weight_decay", weightDecay);

        JsonObject e = new JsonObject();
        e.addProperty("device", device);
        e.addProperty("precision", precision.option());
        e.addProperty("deterministic", deterministic);

        JsonObject c = new JsonObject();
        c.addProperty("every_steps", checkpointEvery);
        c.addProperty("keep", keep);

        JsonObject root = new JsonObject();
        root.add("model", m);
        root.add("data", d);
        root.add("training", t);
        root.add("optimizer", o);
        root.add("engine", e);
        root.add("checkpoints", c);
        return root;
    }

    /** Parses {@link #toJson}'s output; IllegalArgumentException naming the first missing or bad field. */
    public static RunConfig fromJson(JsonObject root) {
        JsonObject m = object(root, "model");
        if (!"alexnet".equals(string(m, "architecture"))) {
            throw new IllegalArgumentException("model.architecture is '" + string(m, "architecture") + "', not alexnet");
        }
        ModelConfig model = new ModelConfig(integer(m, "input_size"), integer(m, "classes"),
                LrnPlacement.parse(string(m, "lrn")), float32(m, "dropout"));
        JsonObject w = object(m, "widths");
        AlexNet.Widths widths = new AlexNet.Widths(integer(w, "conv1"), integer(w, "conv2"), integer(w, "conv3"),
                integer(w, "conv4"), integer(w, "conv5"), integer(w, "fc"));
        JsonObject d = object(root, "data");
        List<String> names = new ArrayList<>();
        for (JsonElement n : array(d, "class_names")) {
            names.add(n.getAsString());
        }
        DatasetFingerprint f = new DatasetFingerprint(integer(d, "train_images"), integer(d, "test_images"),
                string(d, "train_crc32c"), string(d, "test_crc32c"), names);
        DataConfig data = new DataConfig(string(d, "dir"), integer(d, "limit_train"), integer(d, "limit_test"), f);
        JsonObject t = object(root, "training");
        TrainOptions training = new TrainOptions(integer(t, "epochs"), integer(t, "batch_size"), bool(t, "shuffle"),
                t.get("seed").getAsLong());
        JsonObject o = object(root, "optimizer");
        JsonObject e = object(root, "engine");
        Precision precision;
        try {
            precision = Precision.parse(string(e, "precision"));
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("engine.precision is '" + string(e, "precision")
                    + "'; this build trains in fp32, tf32, fp16 or bf16");
        }
        JsonObject c = object(root, "checkpoints");
        return new RunConfig(model, widths, data, training, float32(o, "lr"), float32(o, "weight_decay"),
                bool(t, "augment"), bool(e, "deterministic"), precision, string(e, "device"), integer(c, "every_steps"),
                integer(c, "keep"));
    }

    private static JsonElement field(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return e;
    }

    private static JsonObject object(JsonObject o, String name) {
        return field(o, name).getAsJsonObject();
    }

    private static JsonArray array(JsonObject o, String name) {
        return field(o, name).getAsJsonArray();
    }

    private static String string(JsonObject o, String name) {
        return field(o, name).getAsString();
    }

    private static int integer(JsonObject o, String name) {
        return field(o, name).getAsInt();
    }

    /** A float written by {@link #toJson} (Float.toString's digits), parsed as a float: exact round trip. */
    private static float float32(JsonObject o, String name) {
        return Float.parseFloat(field(o, name).getAsString());
    }

    private static boolean bool(JsonObject o, String name) {
        return field(o, name).getAsBoolean();
    }
}
