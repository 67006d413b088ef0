package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.data.SyntheticCifar;
import org.alexnetcuda.train.AtomicFiles;
import org.alexnetcuda.train.CheckpointFiles;
import org.alexnetcuda.train.CheckpointStore;
import org.alexnetcuda.train.RunConfigFile;
import org.alexnetcuda.train.RunDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, one case per line: the command, the exit code, a fragment of the one-line message; and for every case,
 * every file that was there before (a valid run, damaged checkpoints, data, images) is there after, byte for byte,
 * with the same modification time, and nothing was added.
 */
class BadInputTest {
    @TempDir
    static Path tmp;
    static Path run;
    static Path ckpt;

    /** One case: what to run, and what it must say. */
    record Case(String name, int code, String fragment, String... args) {
    }

    @BeforeAll
    static void fixtures() throws IOException {
        run = tmp.resolve("run");
        CliTest.Run t = CliTest.run(RunCliTest.train("--epochs", "2", "--run-dir", run.toString()));
        assertEquals(0, t.code(), t.err());
        ckpt = new CheckpointStore(run).latest();
        Path weights = ckpt.resolve(CheckpointFiles.MODEL);
        copyCheckpoint("truncated", d -> truncate(d.resolve(CheckpointFiles.MODEL), 64));
        copyCheckpoint("flipped", d -> flipByte(d.resolve(CheckpointFiles.OPTIMIZER)));
        copyCheckpoint("nomanifest", d -> Files.delete(d.resolve(CheckpointFiles.MANIFEST)));
        copyCheckpoint("badjson", d -> {
            Files.writeString(d.resolve(CheckpointFiles.STATE), "{\"format\": \"alexnet-cuda-checkpoint\", [");
            rewriteManifest(d);
        });
        copyCheckpoint("version99", d -> {
            Path m = d.resolve(CheckpointFiles.MANIFEST);
            Files.writeString(m, Files.readString(m).replace("\"format_version\": 1", "\"format_version\": 99"));
        });
        copyCheckpoint("otherarch", d -> {
            // state.json describes fc width 16; claim 24 and keep the manifest consistent: the tensors must not fit.
            Path s = d.resolve(CheckpointFiles.STATE);
            JsonObject o = JsonParser.parseString(Files.readString(s)).getAsJsonObject();
            o.getAsJsonObject("config").getAsJsonObject("model").getAsJsonObject("widths").addProperty("fc", 24);
            Files.writeString(s, new GsonBuilder().setPrettyPrinting().create().toJson(o));
            rewriteManifest(d);
        });
        Files.copy(weights, tmp.resolve("weights.safetensors"));
        // Runs stopped before their first checkpoint: a damaged configuration; one started from weights changed since.
        Files.writeString(Files.createDirectories(tmp.resolve("badconfig")).resolve(RunConfigFile.FILE), "{\"version\": 1, \"config\": {");
        JsonObject started = JsonParser.parseString(Files.readString(run.resolve(RunConfigFile.FILE))).getAsJsonObject();
        JsonObject from = new JsonObject();
        from.addProperty("file", tmp.resolve("weights.safetensors").toAbsolutePath().toString());
        from.addProperty("crc32c", "00000000");
        started.add("init_from", from);
        Files.writeString(Files.createDirectories(tmp.resolve("otherweights")).resolve(RunConfigFile.FILE), started.toString());
        Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(tmp.resolve("afile"), "a file where a folder is expected");
        Files.writeString(tmp.resolve("notimage.png"), "text, not a PNG");
        ImageIO.write(RunCliTest.image(Cifar10Reader.readTest(Path.of(RunCliTest.SYNTH), 1), 0, 2), "png",
                tmp.resolve("image.png").toFile());
        // Other data: as many images as the run used, other pixels.
        SyntheticCifar.write(tmp.resolve("otherdata"), 96, 32, 99);
    }

    interface Damage {
        void apply(Path dir) throws IOException;
    }

    private static void copyCheckpoint(String name, Damage damage) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name).resolve("checkpoints").resolve(ckpt.getFileName()));
        try (Stream<Path> files = Files.list(ckpt)) {
            for (Path f : files.toList()) {
                Files.copy(f, d.resolve(f.getFileName()));
            }
        }
        damage.apply(d);
    }

    private static void truncate(Path f, long by) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - by);
        }
    }

    private static void flipByte(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 1;
        Files.write(f, b);
    }

    /** A manifest that matches the (edited) files, so the damage gets past the checksum to the parser. */
    private static void rewriteManifest(Path d) throws IOException {
        Path m = d.resolve(CheckpointFiles.MANIFEST);
        JsonObject o = JsonParser.parseString(Files.readString(m)).getAsJsonObject();
        JsonObject files = o.getAsJsonObject("files");
        for (String f : files.keySet()) {
            files.getAsJsonObject(f).addProperty("bytes", Files.size(d.resolve(f)));
            files.getAsJsonObject(f).addProperty("crc32c", AtomicFiles.crc32c(d.resolve(f)));
        }
        Files.writeString(m, o.toString());
    }

    private static String t(String name) {
        return tmp.resolve(name).toString();
    }

    static List<Case> cases() {
        String r = run.toString();
        String c = ckpt.toString();
        return List.of(
                new Case("resume: nothing there", 2, "nope: no such file or folder", "train", "--resume", t("nope")),
                new Case("resume: a folder without checkpoints", 2, "holds neither a checkpoint nor a run configuration", "train", "--resume", t("empty")),
                new Case("resume: a damaged run configuration", 2, "config.json: corrupt (malformed JSON",
                        "train", "--resume", t("badconfig")),
                new Case("resume: initial weights changed since the start", 2, "which have changed since (CRC-32C",
                        "train", "--resume", t("otherweights")),
                new Case("resume: a file that is not a checkpoint", 2, "not a checkpoint", "train", "--resume", t("afile")),
                new Case("resume: truncated weights", 2, "model.safetensors: truncated", "train", "--resume", t("truncated")),
                new Case("resume: a flipped bit", 2, "optimizer.safetensors: corrupt (CRC-32C", "train", "--resume", t("flipped")),
                new Case("resume: interrupted while saving", 2, "incomplete checkpoint (no manifest.json",
                        "train", "--resume", t("nomanifest/checkpoints/" + ckpt.getFileName())),
                new Case("resume: unreadable state", 2, "state.json: corrupt (malformed JSON", "train", "--resume", t("badjson")),
                new Case("resume: another format version", 2, "checkpoint format version 99", "train", "--resume", t("version99")),
                new Case("resume: another architecture", 2, "do not match the architecture", "train", "--resume", t("otherarch")),
                new Case("resume: other batch size", 2, "--batch-size 16 differs from the checkpoint's 32",
                        "train", "--resume", r, "--batch-size", "16"),
                new Case("resume: other input size", 2, "--input-size 99 differs from the checkpoint's 67",
                        "train", "--resume", r, "--input-size", "99"),
                new Case("resume: other widths", 2, "--widths", "train", "--resume", r, "--widths", "4,8,8,8,8,32"),
                new Case("resume: other LRN", 2, "--lrn none differs", "train", "--resume", r, "--lrn", "none"),
                new Case("resume: other seed", 2, "--seed 7 differs from the checkpoint's 42", "train", "--resume", r, "--seed", "7"),
                new Case("resume: other limit", 2, "--limit-train 50 differs from the checkpoint's 96",
                        "train", "--resume", r, "--limit-train", "50"),
                new Case("resume: augmentation switched on", 2, "--augment true differs", "train", "--resume", r, "--augment"),
                new Case("resume: other weight decay", 2, "--weight-decay 0.1 differs", "train", "--resume", r, "--weight-decay", "0.1"),
                new Case("resume: other data", 2, "the data differs from the run's: training images or labels differ",
                        "train", "--resume", r, "--data-dir", t("otherdata")),
                new Case("resume: fewer epochs than done", 2, "--epochs 1 is less than the checkpoint has trained",
                        "train", "--resume", c, "--epochs", "1"),
                new Case("resume: zero epochs", 2, "--epochs must be at least 1", "train", "--resume", r, "--epochs", "0"),
                new Case("resume: with --init-from", 2, "--resume and --init-from cannot be combined",
                        "train", "--resume", r, "--init-from", t("weights.safetensors")),
                new Case("resume: on a GPU this host lacks", 3, "--device cpu", "train", "--resume", r, "--device", "gpu"),
                new Case("new run into a run's folder", 2, "already holds checkpoints of another run",
                        RunCliTest.train("--run-dir", r)),
                new Case("run folder below a file", 2, "is not a folder", RunCliTest.train("--run-dir", t("afile/run"))),
                new Case("negative --checkpoint-every", 2, "--checkpoint-every must be 0",
                        RunCliTest.train("--run-dir", t("new"), "--checkpoint-every", "-1")),
                new Case("--keep 0", 2, "--keep must be at least 1", RunCliTest.train("--run-dir", t("new"), "--keep", "0")),
                new Case("--lr NaN", 2, "--lr must be a positive number", RunCliTest.train("--run-dir", t("new"), "--lr", "NaN")),
                new Case("--widths nonsense", 2, "--widths must be six positive numbers",
                        "train", "--device", "cpu", "--widths", "4,8", "--run-dir", t("new")),
                new Case("eval: truncated checkpoint", 2, "truncated", "eval", "--device", "cpu", "--checkpoint", t("truncated")),
                new Case("eval: weights and checkpoint", 2, "mutually exclusive",
                        "eval", "--device", "cpu", "--checkpoint", r, "--weights", t("weights.safetensors")),
                new Case("eval: neither weights nor checkpoint", 2, "Missing required argument", "eval", "--device", "cpu"),
                new Case("eval: model option against the checkpoint", 2, "--input-size 99 differs",
                        "eval", "--device", "cpu", "--checkpoint", r, "--input-size", "99"),
                new Case("eval: weights of another architecture", 2, "net.14.weight has shape",
                        "eval", "--device", "cpu", "--data-dir", RunCliTest.SYNTH, "--input-size", "67",
                        "--widths", "4,8,8,8,8,32", "--weights", t("weights.safetensors")),
                new Case("predict: not an image", 2, "notimage.png: not a PNG or JPEG image",
                        "predict", "--device", "cpu", "--checkpoint", r, t("notimage.png")),
                new Case("predict: no such image", 2, "missing.png: no such file or folder",
                        "predict", "--device", "cpu", "--checkpoint", r, t("missing.png")),
                new Case("predict: a folder without images", 2, "no .png, .jpg or .jpeg files",
                        "predict", "--device", "cpu", "--checkpoint", r, t("empty")),
                new Case("predict: --top beyond the classes", 2, "--top must be between 1 and 10",
                        "predict", "--device", "cpu", "--checkpoint", r, "--top", "11", t("image.png")),
                new Case("predict: no images given", 2, "Missing required parameter", "predict", "--device", "cpu", "--checkpoint", r),
                new Case("plot: not a run folder", 2, "metrics.json: no such file", "plot", t("empty")));
    }

    @TestFactory
    Stream<DynamicTest> eachCaseFailsCleanlyAndTouchesNothing() {
        List<Case> all = cases();
        assertTrue(all.size() >= 20);
        return all.stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Map<String, String> before = snapshot();
            CliTest.Run r = CliTest.run(k.args());
            assertEquals(k.code(), r.code(), () -> k.name() + ": exit code; stderr: " + r.err());
            assertTrue(r.err().contains(k.fragment()), () -> k.name() + ": stderr lacks '" + k.fragment() + "': " + r.err());
            assertFalse(r.err().contains("\tat "), () -> k.name() + ": stack trace: " + r.err());
            assertTrue(r.err().strip().lines().count() <= 2, () -> k.name() + ": more than one line (and a hint): " + r.err());
            assertEquals(before, snapshot(), k.name() + ": files changed");
        }));
    }

    @TestFactory
    Stream<DynamicTest> aRunFolderInUseIsRefused() {
        return Stream.of(DynamicTest.dynamicTest("resume while another run holds the folder", () -> {
            try (RunDirectory held = RunDirectory.open(run)) {
                assertEquals(run, held.path());
                Map<String, String> before = snapshot();
                CliTest.Run r = CliTest.run("train", "--resume", run.toString());
                assertEquals(2, r.code(), r.err());
                assertTrue(r.err().contains("is in use by another training run"), r.err());
                assertEquals(before, snapshot());
            }
        }));
    }

    /** Every file and folder under tmp and the committed data: size, CRC-32C and modification time. */
    static Map<String, String> snapshot() throws IOException {
        Map<String, String> m = snapshotOf(tmp);
        m.putAll(snapshotOf(Path.of(RunCliTest.SYNTH)));
        return m;
    }

    /** Every file and folder under root: size, CRC-32C and modification time of files. */
    static Map<String, String> snapshotOf(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                m.put(p.toString(), a.isDirectory() ? "dir" : a.size() + " " + AtomicFiles.crc32c(p) + " "
                        + a.lastModifiedTime().toMillis());
            }
        }
        return m;
    }
}
