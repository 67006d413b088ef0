package org.alexnetcuda.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.Safetensors;
import org.alexnetcuda.model.WeightsException;
import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;

/**
 * One checkpoint on disk: a folder of four files.
 * <ul>
 * <li>{@code model.safetensors}: the weights under the notebook's state_dict names ({@code net.0.weight}, ...),
 *     float32; {@code safetensors.torch.load_file} gives a dict that {@code model.load_state_dict} accepts as is;</li>
 * <li>{@code optimizer.safetensors}: Adam's moments, {@code exp_avg.<name>} and {@code exp_avg_sq.<name>} with
 *     each parameter's shape (PyTorch's per-parameter exp_avg / exp_avg_sq), the step in the metadata;</li>
 * <li>{@code state.json}: {@link CheckpointState} (step, epoch, batch, partial-epoch totals, history, RNG
 *     description, full configuration);</li>
 * <li>{@code manifest.json}, written last: byte size and CRC-32C of each of the three files.</li>
 * </ul>
 * Writing: the files go into a hidden temp folder beside the target, each fsynced, then the manifest, then the folder
 * is fsynced and renamed to its final name, then the parent is fsynced. So a folder with a checkpoint's name is always
 * complete; a crash at any moment leaves at most a hidden {@code .tmp-*} folder, which readers ignore.
 * Reading verifies the manifest (sizes and CRCs) before trusting anything.
 */
public final class CheckpointFiles {
    public static final String MODEL = "model.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    public static final String MANIFEST = "manifest.json";
    static final List<String> DATA_FILES = List.of(MODEL, OPTIMIZER, STATE);
    static final String M_PREFIX = "exp_avg.";
    static final String V_PREFIX = "exp_avg_sq.";
    /** Optimizer-file metadata of fp16 runs: Adam's step count, the loss scale, its good steps, the skipped steps. */
    static final String ADAM_STEP = "adam_step";
    static final String LOSS_SCALE = "loss_scale";
    static final String LOSS_SCALE_GOOD_STEPS = "loss_scale_good_steps";
    static final String SKIPPED_STEPS = "skipped_steps";

    private CheckpointFiles() {
    }

    /** Writes checkpoint {@code c} as the folder {@code target}, which must not exist yet. */
    static void write(Path target, Checkpoint c) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempDirectory(parent, ".tmp-" + target.getFileName() + "-");
        try {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            meta.put("producer", c.state().producer());
            meta.put("step", Long.toString(c.state().step()));
            Safetensors.write(tmp.resolve(MODEL), c.weights(), meta);
            Safetensors.write(tmp.resolve(OPTIMIZER), optimizerStore(c.weights(), c.optimizer()),
                    optimizerMetadata(meta, c.optimizer()));
            String state = new GsonBuilder().setPrettyPrinting().create().toJson(c.state().toJson()) + "\n";
            AtomicFiles.write(tmp.resolve(STATE), state.getBytes(StandardCharsets.UTF_8));
            AtomicFiles.makeReadable(tmp.resolve(MODEL));
            AtomicFiles.makeReadable(tmp.resolve(OPTIMIZER));
            AtomicFiles.write(tmp.resolve(MANIFEST), manifest(tmp).getBytes(StandardCharsets.UTF_8));
            AtomicFiles.makeReadable(tmp);
            AtomicFiles.syncDirectory(tmp);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                AtomicFiles.deleteRecursively(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        AtomicFiles.syncDirectory(parent);
    }

    private static String manifest(Path dir) throws IOException {
        JsonObject files = new JsonObject();
        for (String f : DATA_FILES) {
            JsonObject e = new JsonObject();
            e.addProperty("bytes", Files.size(dir.resolve(f)));
            e.addProperty("crc32c", AtomicFiles.crc32c(dir.resolve(f)));
            files.add(f, e);
        }
        JsonObject root = new JsonObject();
        root.addProperty("format", CheckpointState.FORMAT);
        root.addProperty("format_version", CheckpointState.FORMAT_VERSION);
        root.add("files", files);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
    }

    /**
     * The optimizer file's metadata: the checkpoint's, plus Adam's own step count when it differs from the training
     * steps (fp16 skipped some) and fp16's loss scale, so that a resumed fp16 run continues exactly.
     */
    private static Map<String, String> optimizerMetadata(Map<String, String> common, OptimizerState s) {
        Map<String, String> meta = new LinkedHashMap<>(common);
        if (s != null && s.lossScale() != null) {
            meta.put(ADAM_STEP, Long.toString(s.step()));
            meta.put(LOSS_SCALE, Float.toString(s.lossScale().scale()));
            meta.put(LOSS_SCALE_GOOD_STEPS, Integer.toString(s.lossScale().goodSteps()));
            meta.put(SKIPPED_STEPS, Long.toString(s.lossScale().skippedSteps()));
        }
        return meta;
    }

    /** The optimizer state of a checkpoint at training step {@code step}, from its moments and metadata. */
    private static OptimizerState optimizerState(String name, long step, float[] m, float[] v, Map<String, String> meta) {
        if (!meta.containsKey(LOSS_SCALE)) {
            return new OptimizerState(step, m, v);
        }
        try {
            OptimizerState s = new OptimizerState(Long.parseLong(meta.get(ADAM_STEP)), m, v,
                    new OptimizerState.LossScale(Float.parseFloat(meta.get(LOSS_SCALE)),
                            Integer.parseInt(meta.get(LOSS_SCALE_GOOD_STEPS)), Long.parseLong(meta.get(SKIPPED_STEPS))));
            if (s.trainingSteps() != step) {
                throw new IllegalArgumentException("Adam's " + s.step() + " steps and " + s.lossScale().skippedSteps()
                        + " skipped do not add up to the checkpoint's " + step);
            }
            return s;
        } catch (RuntimeException e) {
            throw new CheckpointException(name + ": " + OPTIMIZER + " has a bad loss scale in its metadata (" + e.getMessage()
                    + ")");
        }
    }

    /** Adam's moments as one store: every exp_avg.* tensor, then every exp_avg_sq.* tensor. */
    static ParameterStore optimizerStore(ParameterStore weights, OptimizerState s) {
        ParameterStore.Builder b = new ParameterStore.Builder();
        for (Parameter p : weights.parameters()) {
            b.add(M_PREFIX + p.name(), p.dims());
        }
        for (Parameter p : weights.parameters()) {
            b.add(V_PREFIX + p.name(), p.dims());
        }
        ParameterStore out = b.build();
        if (s != null) {
            int n = weights.size();
            System.arraycopy(s.m(), 0, out.values, 0, n);
            System.arraycopy(s.v(), 0, out.values, n, n);
        }
        return out;
    }

    /** True when the folder has a manifest, i.e. was completely written (it may still be corrupt). */
    public static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /**
     * Reads and verifies a checkpoint folder: the manifest, each file's size and CRC-32C, the state, and the
     * tensors against the architecture the state describes. Any problem is one {@link CheckpointException} line.
     */
    public static Checkpoint read(Path dir) {
        String name = dir.toString();
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(name + ": no such checkpoint folder");
        }
        verifyManifest(dir);
        CheckpointState state = readState(dir);
        NetworkSpec spec;
        try {
            spec = state.config().network();
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(name + ": its configuration describes no valid network (" + e.getMessage() + ")");
        }
        ParameterStore weights = spec.newParameterStore();
        ParameterStore moments = optimizerStore(weights, null);
        try {
            Safetensors.load(dir.resolve(MODEL), weights);
            Safetensors.load(dir.resolve(OPTIMIZER), moments);
        } catch (WeightsException e) {
            throw new CheckpointException(name + ": " + e.getMessage() + " (the weights do not match the architecture in "
                    + STATE + ")");
        }
        int n = weights.size();
        float[] m = java.util.Arrays.copyOfRange(moments.values, 0, n);
        float[] v = java.util.Arrays.copyOfRange(moments.values, n, 2 * n);
        Map<String, String> meta;
        try {
            meta = Safetensors.metadata(dir.resolve(OPTIMIZER));
        } catch (WeightsException e) {
            throw new CheckpointException(name + ": " + e.getMessage());
        }
        return new Checkpoint(state, weights, optimizerState(name, state.step(), m, v, meta));
    }

    /** Reads only state.json of a verified checkpoint (for listing). */
    public static CheckpointState readState(Path dir) {
        Path f = dir.resolve(STATE);
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
            return CheckpointState.fromJson(o);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(dir + ": not a checkpoint (no " + STATE + ")");
        } catch (IOException e) {
            throw new CheckpointException(f + ": cannot read (" + e.getMessage() + ")");
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                 | ClassCastException | NumberFormatException e) {
            throw new CheckpointException(f + ": corrupt (malformed JSON or missing fields)");
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(f + ": " + e.getMessage());
        }
    }

    private static void verifyManifest(Path dir) {
        Path mf = dir.resolve(MANIFEST);
        if (!Files.exists(mf)) {
            throw new CheckpointException(dir + ": incomplete checkpoint (no " + MANIFEST
                    + "; it was interrupted while being written, or is not a checkpoint)");
        }
        JsonObject files;
        try {
            JsonObject root = JsonParser.parseString(Files.readString(mf, StandardCharsets.UTF_8)).getAsJsonObject();
            String format = root.get("format").getAsString();
            if (!CheckpointState.FORMAT.equals(format)) {
                throw new CheckpointException(mf + ": not an alexnet-cuda checkpoint (format '" + format + "')");
            }
            int version = root.get("format_version").getAsInt();
            if (version != CheckpointState.FORMAT_VERSION) {
                throw new CheckpointException(mf + ": checkpoint format version " + version + "; this build reads version "
                        + CheckpointState.FORMAT_VERSION);
            }
            files = root.getAsJsonObject("files");
        } catch (IOException e) {
            throw new CheckpointException(mf + ": cannot read (" + e.getMessage() + ")");
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                 | ClassCastException | NumberFormatException e) {
            throw new CheckpointException(mf + ": corrupt (malformed JSON or missing fields)");
        }
        for (String f : DATA_FILES) {
            JsonElement e = files == null ? null : files.get(f);
            if (e == null || !e.isJsonObject()) {
                throw new CheckpointException(mf + ": corrupt (no entry for " + f + ")");
            }
            verifyFile(dir.resolve(f), e.getAsJsonObject());
        }
    }

    private static void verifyFile(Path f, JsonObject expected) {
        try {
            long bytes = expected.get("bytes").getAsLong();
            String crc = expected.get("crc32c").getAsString();
            if (!Files.exists(f)) {
                throw new CheckpointException(f + ": missing from the checkpoint");
            }
            long size = Files.size(f);
            if (size != bytes) {
                throw new CheckpointException(f + ": " + (size < bytes ? "truncated" : "wrong size") + " (" + size
                        + " bytes, the manifest says " + bytes + ")");
            }
            String actual = AtomicFiles.crc32c(f);
            if (!actual.equals(crc)) {
                throw new CheckpointException(f + ": corrupt (CRC-32C " + actual + ", the manifest says " + crc + ")");
            }
        } catch (IOException e) {
            throw new CheckpointException(f + ": cannot read (" + e.getMessage() + ")");
        } catch (IllegalStateException | NullPointerException | UnsupportedOperationException | ClassCastException
                 | NumberFormatException e) {
            throw new CheckpointException(f.getParent().resolve(MANIFEST) + ": corrupt (bad entry for " + f.getFileName() + ")");
        }
    }
}
