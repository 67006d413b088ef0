package org.alexnetcuda.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The per-epoch metrics files of a run directory: {@code metrics.csv} (a header, then one row per epoch) and
 * {@code metrics.json} ({@code {"epochs": [...]}}, the same object {@code train --json} prints).
 *
 * <p>Both are rewritten atomically after each epoch from the run's history, which every checkpoint carries; a
 * resumed run therefore continues the same files, and a crash can neither tear a row nor write one twice.
 */
public final class MetricsLog {
    public static final String CSV = "metrics.csv";
    public static final String JSON = "metrics.json";
    static final String CSV_HEADER = "epoch,train_loss,test_loss,test_accuracy,seconds,images_per_second";

    private MetricsLog() {
    }

    /** Writes both files into runDir from the full history. */
    public static void write(Path runDir, List<EpochMetrics> history) throws IOException {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (EpochMetrics m : history) {
            // Double.toString keeps every digit, so the CSV holds the exact values the epoch line printed.
            csv.append(m.epoch()).append(',').append(m.trainLoss()).append(',').append(m.testLoss()).append(',')
                    .append(m.testAccuracy()).append(',').append(String.format(Locale.ROOT, "%.3f", m.seconds()))
                    .append(',').append(String.format(Locale.ROOT, "%.1f", m.imagesPerSecond())).append('\n');
        }
        writeIfChanged(runDir.resolve(CSV), csv.toString());
        writeIfChanged(runDir.resolve(JSON), toJson(history) + "\n");
    }

    /** A resumed run rewrites the files it already has; leaving identical ones alone keeps a failed resume harmless. */
    private static void writeIfChanged(Path f, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(f) && java.util.Arrays.equals(Files.readAllBytes(f), bytes)) {
            return;
        }
        AtomicFiles.write(f, bytes);
    }

    /** {"epochs": [{"epoch": 1, "train_loss": ..., ...}, ...]} */
    public static String toJson(List<EpochMetrics> history) {
        JsonObject root = new JsonObject();
        root.add("epochs", toJsonArray(history));
        return new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(root);
    }

    static JsonArray toJsonArray(List<EpochMetrics> history) {
        JsonArray arr = new JsonArray();
        for (EpochMetrics m : history) {
            JsonObject o = new JsonObject();
            o.addProperty("epoch", m.epoch());
            o.addProperty("train_loss", m.trainLoss());
            o.addProperty("test_loss", m.testLoss());
            o.addProperty("test_accuracy", m.testAccuracy());
            o.addProperty("seconds", m.seconds());
            o.addProperty("images_per_second", m.imagesPerSecond());
            arr.add(o);
        }
        return arr;
    }

    static EpochMetrics fromJson(JsonObject o) {
        return new EpochMetrics(o.get("epoch").getAsInt(), o.get("train_loss").getAsDouble(),
                o.get("test_loss").getAsDouble(), o.get("test_accuracy").getAsDouble(), o.get("seconds").getAsDouble(),
                o.get("images_per_second").getAsDouble());
    }

    /** Reads runDir/metrics.json; IllegalArgumentException with one line if it is missing or malformed. */
    public static List<EpochMetrics> read(Path runDir) {
        Path f = runDir.resolve(JSON);
        try {
            JsonObject root = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
            List<EpochMetrics> out = new ArrayList<>();
            for (JsonElement e : root.getAsJsonArray("epochs")) {
                out.add(fromJson(e.getAsJsonObject()));
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(f + ": no such file (not a run directory, or no epoch finished yet)");
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": cannot read (" + e.getMessage() + ")");
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                 | NumberFormatException e) {
            throw new IllegalArgumentException(f + ": not a metrics file of this program (malformed JSON)");
        }
    }
}
