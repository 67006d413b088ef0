package org.alexnetcuda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.engine.cuda.OutOfDeviceMemoryException;
import org.alexnetcuda.train.CheckpointFiles;
import org.alexnetcuda.train.CheckpointStore;
import org.alexnetcuda.train.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run as a user drives it from the command line: train, watch, resume, plot, eval, predict. */
class RunCliTest {
    static final String SYNTH = "test-data/synth-small";
    /** A narrow AlexNet at input 67 on a slice of synth-small: a whole run takes about a second. */
    static final String[] TINY = {"--device", "cpu", "--data-dir", SYNTH, "--input-size", "67", "--widths", "4,8,8,8,8,16",
            "--limit-train", "96", "--limit-test", "32", "--batch-size", "32"};

    @TempDir
    Path tmp;

    static String[] args(String[] first, String... more) {
        String[] a = new String[first.length + more.length];
        System.arraycopy(first, 0, a, 0, first.length);
        System.arraycopy(more, 0, a, first.length, more.length);
        return a;
    }

    static String[] train(String... more) {
        return args(args(new String[] {"train"}, TINY), more);
    }

    static JsonObject json(String s) {
        return JsonParser.parseString(s.strip()).getAsJsonObject();
    }

    @Test
    void trainResumePlotEval() throws IOException {
        Path run = tmp.resolve("run");
        CliTest.Run t = CliTest.run(train("--epochs", "2", "--run-dir", run.toString(), "--json", "--deterministic"));
        assertEquals(0, t.code(), t.err());
        // The start table, the notebook's epoch lines, the summary; plain lines, not a bar, off a terminal.
        for (String s : new String[] {"run folder         " + run, "precision          fp32", "deterministic",
                "parameters         ", "memory plan        device memory for batch 32", "Epoch 1/2: Train Loss=",
                "Epoch 2/2: Train Loss=", "Training finished", "best accuracy", "time               "}) {
            assertTrue(t.err().contains(s), () -> "missing '" + s + "' in:\n" + t.err());
        }
        assertFalse(t.err().contains("\r"), "no carriage returns when not on a terminal");
        assertEquals(2, json(t.out()).getAsJsonArray("epochs").size());

        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,test_loss,test_accuracy,seconds,images_per_second", csv.get(0));
        assertEquals(3, csv.size(), csv::toString);
        assertEquals(2, json(Files.readString(run.resolve("metrics.json"))).getAsJsonArray("epochs").size());
        BufferedImage chart = ImageIO.read(run.resolve("chart.png").toFile());
        assertEquals(900, chart.getWidth());
        assertEquals(540, chart.getHeight());
        Path last = new CheckpointStore(run).latest();
        assertEquals("ckpt-s000000006-e0003-b00000", last.getFileName().toString());
        JsonObject state = json(Files.readString(last.resolve(CheckpointFiles.STATE)));
        assertTrue(state.getAsJsonObject("config").getAsJsonObject("engine").get("deterministic").getAsBoolean());
        assertEquals(3, state.get("epoch").getAsInt());

        // Resume to 3 epochs: the same folder, one more row, the first rows untouched.
        CliTest.Run r = CliTest.run("train", "--resume", run.toString(), "--epochs", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resumed from") && r.out().contains("Epoch 3/3: Train Loss="), r.out());
        assertFalse(r.out().contains("Epoch 2/3"), "finished epochs are not trained again");
        List<String> csv3 = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(4, csv3.size());
        assertEquals(csv, csv3.subList(0, 3));

        // Resuming a finished run trains nothing and succeeds: resuming is idempotent.
        CliTest.Run again = CliTest.run("train", "--resume", run.toString(), "--epochs", "3");
        assertEquals(0, again.code(), again.err());
        assertFalse(again.out().contains("Epoch 3/3"), again.out());
        assertEquals(csv3, Files.readAllLines(run.resolve("metrics.csv")));

        Path png = tmp.resolve("plot.png");
        CliTest.Run p = CliTest.run("plot", run.toString(), "--out", png.toString());
        assertEquals(0, p.code(), p.err());
        assertEquals(900, ImageIO.read(png.toFile()).getWidth());

        // eval of the checkpoint on the run's test images reproduces its last Test Loss and Accuracy exactly.
        CliTest.Run e = CliTest.run("eval", "--checkpoint", run.toString(), "--device", "cpu", "--limit-test", "32",
                "--batch-size", "32", "--json");
        assertEquals(0, e.code(), e.err());
        JsonObject ev = json(e.out());
        JsonObject last3 = json(Files.readString(run.resolve("metrics.json"))).getAsJsonArray("epochs").get(2).getAsJsonObject();
        assertEquals(last3.get("test_loss").getAsDouble(), ev.get("loss").getAsDouble(), 0.0);
        assertEquals(last3.get("test_accuracy").getAsDouble(), ev.get("accuracy").getAsDouble(), 0.0);
        assertEquals(10, ev.getAsJsonArray("per_class_accuracy").size());
        assertEquals(10, ev.getAsJsonArray("confusion").size());
        CliTest.Run text = CliTest.run("eval", "--checkpoint", run.toString(), "--device", "cpu", "--limit-test", "32");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("confusion (rows: true class, columns: predicted)"), text.out());
    }

    @Test
    void predictClassifiesImagesOfAnySizeAsTrainingPreprocessesThem() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, CliTest.run(train("--epochs", "1", "--run-dir", run.toString())).code());
        Cifar10Dataset test = Cifar10Reader.readTest(Path.of(SYNTH), 3);
        Path images = Files.createDirectories(tmp.resolve("images"));
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // The same picture at 32x32 (PNG) and as 3x3 blocks at 96x96 (PNG): area resizing makes them identical.
            ImageIO.write(image(test, i, 1), "png", images.resolve("img" + i + ".png").toFile());
            ImageIO.write(image(test, i, 3), "png", tmp.resolve("big" + i + ".png").toFile());
            files.add(images.resolve("img" + i + ".png").toString());
        }
        ImageIO.write(image(test, 0, 5), "jpg", images.resolve("photo.JPG").toFile());
        Files.writeString(images.resolve("notes.txt"), "not an image; folders list only images");

        CliTest.Run folder = CliTest.run("predict", "--checkpoint", run.toString(), "--device", "cpu", "--top", "10", "--json",
                images.toString());
        assertEquals(0, folder.code(), folder.err());
        JsonArray preds = json(folder.out()).getAsJsonArray("predictions");
        assertEquals(List.of("img0.png", "img1.png", "img2.png", "photo.JPG"),
                preds.asList().stream().map(x -> Path.of(x.getAsJsonObject().get("file").getAsString()).getFileName().toString()).toList());
        for (var x : preds) {
            JsonArray top = x.getAsJsonObject().getAsJsonArray("top");
            assertEquals(10, top.size());
            double sum = 0;
            double prev = 1;
            for (var c : top) {
                double pr = c.getAsJsonObject().get("probability").getAsDouble();
                assertTrue(pr <= prev, "sorted, most probable first");
                prev = pr;
                sum += pr;
            }
            assertEquals(1.0, sum, 1e-9);
        }
        for (int i = 0; i < 3; i++) {
            CliTest.Run big = CliTest.run("predict", "--checkpoint", run.toString(), "--device", "cpu", "--top", "10", "--json",
                    tmp.resolve("big" + i + ".png").toString());
            assertEquals(0, big.code(), big.err());
            assertEquals(preds.get(i).getAsJsonObject().get("top"),
                    json(big.out()).getAsJsonArray("predictions").get(0).getAsJsonObject().get("top"));
        }
        CliTest.Run plain = CliTest.run("predict", "--checkpoint", run.toString(), "--device", "cpu", files.get(0));
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().strip().matches(".*img0\\.png: \\w+ \\d\\.\\d{4}, \\w+ \\d\\.\\d{4}, \\w+ \\d\\.\\d{4}"), plain.out());
    }

    /** Image i of ds as a picture, each pixel a k x k block. */
    static BufferedImage image(Cifar10Dataset ds, int i, int k) {
        BufferedImage img = new BufferedImage(32 * k, 32 * k, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32 * k; y++) {
            for (int x = 0; x < 32 * k; x++) {
                int r = ds.pixel(i, 0, y / k, x / k);
                int g = ds.pixel(i, 1, y / k, x / k);
                int b = ds.pixel(i, 2, y / k, x / k);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    @Test
    void aDivergingRunStopsWithItsStepAndExitOne() throws IOException {
        Path run = tmp.resolve("run");
        CliTest.Run t = CliTest.run(train("--epochs", "2", "--run-dir", run.toString(), "--lr", "1e30"));
        assertEquals(ExitCodes.FAILURE, t.code(), t.err());
        assertTrue(t.err().matches("(?s)error: training diverged at step \\d+ \\(epoch 1, batch \\d+ of 3\\): the batch loss is NaN.*"),
                t.err());
        assertTrue(t.err().contains("no checkpoint was saved before it"), t.err());
        assertEquals(List.of(), new CheckpointStore(run).list());
    }

    @Test
    void theDefaultRunFolderIsDatedAndNeverReused() throws IOException {
        LocalDateTime now = LocalDateTime.of(2025, 1, 2, 3, 4, 5);
        Path first = RunDirectory.defaultPath(tmp, now);
        assertEquals(tmp.resolve("2025-01-02_03-04-05"), first);
        Files.createDirectories(first);
        assertEquals(tmp.resolve("2025-01-02_03-04-05-2"), RunDirectory.defaultPath(tmp, now));
    }

    @Test
    void theNewCommandsAndOptionsHaveHelp() {
        for (String cmd : new String[] {"predict", "plot"}) {
            CliTest.Run h = CliTest.run(cmd, "--help");
            assertEquals(0, h.code(), cmd);
            assertTrue(h.out().contains("Usage: alexnet-cuda " + cmd), h.out());
        }
        String train = CliTest.run("train", "--help").out();
        for (String o : new String[] {"--run-dir", "--resume", "--checkpoint-every", "--keep", "--deterministic"}) {
            assertTrue(train.contains(o), o);
        }
        assertTrue(CliTest.run("eval", "--help").out().contains("--checkpoint"));
    }

    /**
     * Precision is recorded in the checkpoint and may change on resume (FP32 weights and moments either way), with
     * a line saying so; a tf32 checkpoint resumed on the CPU needs an explicit --precision fp32.
     */
    @Test
    void aResumedRunMayChangePrecision() throws IOException {
        Path run = tmp.resolve("run");
        CliTest.Run t = CliTest.run(train("--epochs", "1", "--run-dir", run.toString()));
        assertEquals(0, t.code(), t.err());
        CliTest.Run r = CliTest.run("train", "--resume", run.toString(), "--epochs", "2", "--device", "sim",
                "--precision", "tf32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("precision changed: fp32 -> tf32"), r.out());
        assertTrue(r.out().contains("precision          tf32 (TF32 tensor cores"), r.out());
        JsonObject engine = json(Files.readString(new CheckpointStore(run).latest().resolve(CheckpointFiles.STATE)))
                .getAsJsonObject("config").getAsJsonObject("engine");
        assertEquals("tf32", engine.get("precision").getAsString());

        CliTest.Run cpu = CliTest.run("train", "--resume", run.toString(), "--epochs", "3", "--device", "cpu");
        assertEquals(ExitCodes.USAGE, cpu.code(), cpu.err());
        assertTrue(cpu.err().contains("--precision tf32: the CPU engine computes in fp32 only"), cpu.err());
        CliTest.Run back = CliTest.run("train", "--resume", run.toString(), "--epochs", "3", "--device", "cpu",
                "--precision", "fp32");
        assertEquals(0, back.code(), back.err());
        assertTrue(back.out().contains("precision changed: tf32 -> fp32"), back.out());
    }

    @Test
    void trainReportsItsProfilingOnTheSimulator() {
        CliTest.Run t = CliTest.run("train", "--device", "sim", "--data-dir", SYNTH, "--input-size", "67", "--widths",
                "4,8,8,8,8,16", "--limit-train", "64", "--limit-test", "32", "--batch-size", "32", "--epochs", "1",
                "--run-dir", tmp.resolve("run").toString(), "--profile-steps", "2:2", "--nvtx");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("profiling: simulated (ranges and the window are recorded, nothing is profiled); "
                + "steps 2:2 profiled, eagerly"), t.out());
    }

    @Test
    void outOfDeviceMemoryIsAFailureNotAUsageError() {
        assertEquals(ExitCodes.FAILURE, Main.exitCode(new OutOfDeviceMemoryException(64, 2L << 30, 1L << 30, 20)));
        // a library refusing a call (its message names the call, the layer and the status) is a failure too
        assertEquals(ExitCodes.FAILURE, Main.exitCode(new org.alexnetcuda.device.DeviceException(
                "cudnnLRNCrossChannelForward", "CUDNN_STATUS_NOT_SUPPORTED", "lrn2 forward")));
        assertEquals(ExitCodes.INTERRUPTED, Main.exitCode(new org.alexnetcuda.train.RunInterruptedException(
                org.alexnetcuda.train.TrainPosition.START, null)));
    }
}
