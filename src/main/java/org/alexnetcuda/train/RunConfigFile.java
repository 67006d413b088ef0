package org.alexnetcuda.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * {@code RUN/config.json}: the whole configuration a run was started with (every option that defines it, the data's
 * fingerprint, the weights it started from), written when its folder is created. A checkpoint carries the same
 * configuration; this file exists so that a run stopped before its first checkpoint can still be resumed, from the
 * beginning, without retyping its options.
 *
 * @param config   the run's configuration
 * @param initFrom the weights file it started from (--init-from), or null for Xavier initialisation from the seed
 */
public record RunConfigFile(RunConfig config, InitialWeights initFrom) {
    public static final String FILE = "config.json";
    private static final int VERSION = 1;

    /** The weights a run started from, by absolute path and CRC-32C, so that a restart can tell they are the same. */
    public record InitialWeights(String file, String crc32c) {
        public static InitialWeights of(Path file) throws IOException {
            return new InitialWeights(file.toAbsolutePath().normalize().toString(), AtomicFiles.crc32c(file));
        }
    }

    public static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(FILE));
    }

    /** Writes the file into runDir atomically: a reader finds the whole configuration or none. */
    public void write(Path runDir) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("version", VERSION);
        o.add("config", config.toJson());
        if (initFrom != null) {
            JsonObject w = new JsonObject();
            w.addProperty("file", initFrom.file());
            w.addProperty("crc32c", initFrom.crc32c());
            o.add("init_from", w);
        }
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
        AtomicFiles.write(runDir.resolve(FILE), json.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads RUN/config.json; CheckpointException (exit 2) naming the file if it is missing or unreadable. */
    public static RunConfigFile read(Path runDir) {
        Path f = runDir.resolve(FILE);
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
            int version = o.get("version").getAsInt();
            if (version != VERSION) {
                throw new CheckpointException(f + ": run configuration version " + version + "; this build reads version "
                        + VERSION);
            }
            JsonElement w = o.get("init_from");
            InitialWeights init = w == null || w.isJsonNull() ? null
                    : new InitialWeights(w.getAsJsonObject().get("file").getAsString(),
                            w.getAsJsonObject().get("crc32c").getAsString());
            return new RunConfigFile(RunConfig.fromJson(o.getAsJsonObject("config")), init);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(f + ": no such file");
        } catch (IOException e) {
            throw new CheckpointException(f + ": cannot read (" + CheckpointStore.describe(e) + ")");
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                 | ClassCastException | NumberFormatException e) {
            throw new CheckpointException(f + ": corrupt (malformed JSON or missing fields)");
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(f + ": " + e.getMessage());
        }
    }

    /**
     * The recorded initial weights file, checked to be the one the run started from; CheckpointException if it is
     * gone or changed (a restart from other weights would not be the same run).
     */
    public Path requireInitialWeights(Path runDir) {
        Path w = Path.of(initFrom.file());
        String now;
        try {
            now = AtomicFiles.crc32c(w);
        } catch (IOException e) {
            throw new CheckpointException(runDir.resolve(FILE) + ": the run started from the weights in " + w
                    + ", which cannot be read now (" + CheckpointStore.describe(e) + ")");
        }
        if (!now.equals(initFrom.crc32c())) {
            throw new CheckpointException(runDir.resolve(FILE) + ": the run started from the weights in " + w
                    + ", which have changed since (CRC-32C " + now + " instead of " + initFrom.crc32c() + ")");
        }
        return w;
    }
}
