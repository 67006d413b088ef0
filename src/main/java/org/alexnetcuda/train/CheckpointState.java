package org.alexnetcuda.train;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.alexnetcuda.engine.Totals;

/**
 * Everything of a checkpoint except the tensors: the configuration, where training continues, the training totals
 * of a partly done epoch, the finished epochs' metrics and the time spent. Saved as state.json.
 *
 * @param config          the run's configuration
 * @param step            optimizer steps taken
 * @param position        where training continues
 * @param batchesPerEpoch batches of one epoch (position.batch() == batchesPerEpoch: evaluation pending)
 * @param trainLossSum    sum of the batch mean losses of position.epoch() so far (0 when position.batch() == 0)
 * @param trainBatches    batches of position.epoch() so far
 * @param trainSamples    images of position.epoch() so far
 * @param history         metrics of the finished epochs, in order
 * @param elapsedSeconds  wall time spent training so far, over every session of the run
 * @param producer        the program that wrote it, e.g. "alexnet-cuda 0.1.0"
 */
public record CheckpointState(RunConfig config, long step, TrainPosition position, int batchesPerEpoch,
                              double trainLossSum, long trainBatches, long trainSamples,
                              List<EpochMetrics> history, double elapsedSeconds, String producer) {

    public static final String FORMAT = "alexnet-cuda-checkpoint";
    public static final int FORMAT_VERSION = 1;

    public CheckpointState {
        history = List.copyOf(history);
    }

    /** The engine totals to restore: the partial epoch's training totals, evaluation zero. */
    public Totals totals(int classes) {
        return Totals.ofTraining(trainLossSum, trainBatches, trainSamples, classes);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("format_version", FORMAT_VERSION);
        o.addProperty("written_by", producer);
        o.addProperty("step", step);
        o.addProperty("epoch", position.epoch());
        o.addProperty("batch", position.batch());
        o.addProperty("batches_per_epoch", batchesPerEpoch);
        o.addProperty("epochs_completed", position.epochsCompleted());
        JsonObject p = new JsonObject();
        // Doubles print with Double.toString's digits, which parse back to the same double: exact resume.
        p.addProperty("train_loss_sum", trainLossSum);
        p.addProperty("train_batches", trainBatches);
        p.addProperty("train_samples", trainSamples);
        o.add("partial_epoch", p);
        o.addProperty("elapsed_seconds", elapsedSeconds);
        o.add("rng", rng(config.training().seed()));
        o.add("config", config.toJson());
        o.add("history", MetricsLog.toJsonArray(history));
        return o;
    }

    /**
     * The random streams, for the reader: none has hidden state, each is a pure function of the seed and the
     * position, so the seed is the whole RNG state.
     */
    private static JsonObject rng(long seed) {
        JsonObject r = new JsonObject();
        r.addProperty("seed", seed);
        r.addProperty("init", "XavierInit: SplittableRandom(seed * 0x9E3779B97F4A7C15 + parameter index)");
        r.addProperty("shuffle", "EpochBatches: Fisher-Yates with SplittableRandom(Seeds.derive(seed, 0x53485546, epoch))");
        r.addProperty("dropout", "Philox(key = seed ^ layer index * 0x9E3779B97F4A7C15, counter = step, element)");
        r.addProperty("augment", "Augment.forBatch: SplittableRandom(Seeds.derive(seed, 0x41554721, 0, step))");
        return r;
    }

    /** Parses state.json; IllegalArgumentException (or a JSON exception) on anything missing or malformed. */
    public static CheckpointState fromJson(JsonObject o) {
        String format = o.has("format") ? o.get("format").getAsString() : "";
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("not an alexnet-cuda checkpoint (format '" + format + "')");
        }
        int version = o.get("format_version").getAsInt();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("checkpoint format version " + version + "; this build reads version " + FORMAT_VERSION);
        }
        JsonObject p = o.getAsJsonObject("partial_epoch");
        List<EpochMetrics> history = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("history")) {
            history.add(MetricsLog.fromJson(e.getAsJsonObject()));
        }
        return new CheckpointState(RunConfig.fromJson(o.getAsJsonObject("config")), o.get("step").getAsLong(),
                new TrainPosition(o.get("epoch").getAsInt(), o.get("batch").getAsInt()),
                o.get("batches_per_epoch").getAsInt(), p.get("train_loss_sum").getAsDouble(),
                p.get("train_batches").getAsLong(), p.get("train_samples").getAsLong(), history,
                o.get("elapsed_seconds").getAsDouble(), o.get("written_by").getAsString());
    }
}
