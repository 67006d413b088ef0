package org.alexnetcuda.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.Safetensors;
import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint folder format: what is in it, that it reads back exactly, and that damage is detected. */
class CheckpointFilesTest {
    private static Cifar10Reader.Splits data;
    /** Fresh values every run; printed by failing assertions through the checkpoint contents. */
    private static final long BASE = new SplittableRandom().nextLong();

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        data = TinyRuns.data(64, 16);
    }

    /** A checkpoint with random weights, moments and doubles that only survive an exact round trip. */
    private static Checkpoint random(RunConfig c, long step, TrainPosition at, long seed) {
        SplittableRandom rng = new SplittableRandom(BASE ^ seed);
        NetworkSpec spec = c.network();
        ParameterStore w = spec.newParameterStore();
        float[] m = new float[w.size()];
        float[] v = new float[w.size()];
        for (int i = 0; i < w.size(); i++) {
            w.values[i] = (float) rng.nextGaussian();
            m[i] = (float) rng.nextGaussian() * 1e-3f;
            v[i] = (float) rng.nextDouble() * 1e-6f;
        }
        List<EpochMetrics> history = new ArrayList<>();
        for (int e = 1; e < at.epoch(); e++) {
            history.add(new EpochMetrics(e, rng.nextDouble() * 3, 0.1 + 0.2, rng.nextDouble(), 12.5, 1234.5));
        }
        CheckpointState s = new CheckpointState(c, step, at, 2, at.batch() > 0 ? rng.nextDouble() * 7 : 0,
                at.batch(), at.batch() * 32L, history, 42.25, "alexnet-cuda test");
        return new Checkpoint(s, w, new OptimizerState(step, m, v));
    }

    private static RunConfig config() {
        return TinyRuns.config(data, 3, 32, 0, 3, false, 7);
    }

    private Path save(Checkpoint c) {
        return new CheckpointStore(tmp.resolve("run")).save(c, 10);
    }

    @Test
    void readsBackExactly() {
        Checkpoint c = random(config(), 3, new TrainPosition(2, 1), 1);
        Path dir = save(c);
        Checkpoint r = CheckpointFiles.read(dir);
        assertArrayEquals(c.weights().values, r.weights().values);
        assertArrayEquals(c.optimizer().m(), r.optimizer().m());
        assertArrayEquals(c.optimizer().v(), r.optimizer().v());
        assertEquals(c.state(), r.state(), "state, every double bit for bit (base seed " + BASE + ")");
        assertEquals(c.state().config(), r.state().config());
    }

    @Test
    void theWeightsFileIsTheNotebooksStateDict() {
        Checkpoint c = random(config(), 3, new TrainPosition(2, 0), 2);
        Path dir = save(c);
        Map<String, Safetensors.Entry> model = Safetensors.read(dir.resolve(CheckpointFiles.MODEL));
        List<String> names = c.weights().parameters().stream().map(Parameter::name).toList();
        assertEquals(names, new ArrayList<>(model.keySet()), "exactly the state_dict names, in order");
        assertTrue(names.contains("net.0.weight") && names.contains("net.20.bias"), names::toString);
        for (Parameter p : c.weights().parameters()) {
            assertArrayEquals(p.dims(), model.get(p.name()).dims(), p.name());
        }
        Set<String> opt = Safetensors.read(dir.resolve(CheckpointFiles.OPTIMIZER)).keySet();
        assertEquals(2 * names.size(), opt.size());
        assertTrue(opt.contains("exp_avg.net.0.weight") && opt.contains("exp_avg_sq.net.20.bias"), opt::toString);
        assertEquals("3", Safetensors.metadata(dir.resolve(CheckpointFiles.OPTIMIZER)).get("step"));
        assertEquals(Set.of("model.safetensors", "optimizer.safetensors", "state.json", "manifest.json"), files(dir));
    }

    private static Set<String> files(Path dir) {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void aTruncatedFileIsReportedWithItsSizes() throws IOException {
        Path dir = save(random(config(), 1, new TrainPosition(1, 1), 3));
        Path f = dir.resolve(CheckpointFiles.OPTIMIZER);
        long size = Files.size(f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(size - 100);
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFiles.read(dir));
        assertTrue(e.getMessage().contains("truncated (" + (size - 100) + " bytes, the manifest says " + size), e.getMessage());
    }

    @Test
    void aFlippedBitIsReportedAsCorrupt() throws IOException {
        Path dir = save(random(config(), 1, new TrainPosition(1, 1), 4));
        Path f = dir.resolve(CheckpointFiles.MODEL);
        byte[] b = Files.readAllBytes(f);
        b[b.length - 7] ^= 0x10;
        Files.write(f, b);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFiles.read(dir));
        assertTrue(e.getMessage().contains("model.safetensors: corrupt (CRC-32C"), e.getMessage());
    }

    @Test
    void weightsOfAnotherArchitectureAreRefused() {
        // state.json says one architecture, the tensors are of another: refused, with both named.
        RunConfig c = config();
        Checkpoint narrow = random(c, 1, new TrainPosition(1, 1), 5);
        NetworkSpec wider = AlexNet.build(c.model(), new AlexNet.Widths(4, 8, 8, 8, 8, 24));
        ParameterStore w = wider.newParameterStore();
        Checkpoint mixed = new Checkpoint(narrow.state(), w, OptimizerState.fresh(w.size()));
        Path dir = save(mixed);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFiles.read(dir));
        assertTrue(e.getMessage().contains("do not match the architecture"), e.getMessage());
    }

    @Test
    void onlyCompleteCheckpointsCountAndTheNewestIsResumed() throws IOException {
        Path run = tmp.resolve("run");
        Path a = save(random(config(), 5, new TrainPosition(2, 0), 6));
        Path b = save(random(config(), 7, new TrainPosition(2, 2), 7));
        // What a crash leaves: a temp folder, and a folder with a checkpoint's name but no manifest.
        Files.createDirectories(run.resolve("checkpoints/.tmp-ckpt-s000000009-e0002-b00004-123"));
        Path partial = Files.createDirectories(run.resolve("checkpoints/ckpt-s000000009-e0002-b00004"));
        Files.writeString(partial.resolve(CheckpointFiles.STATE), "{");
        CheckpointStore store = new CheckpointStore(run);
        assertEquals(List.of(a, b), store.list());
        assertEquals(b, CheckpointStore.resolve(run));
        assertEquals(b, CheckpointStore.resolve(run.resolve("checkpoints")));
        assertEquals(a, CheckpointStore.resolve(a));
        assertEquals(a.toAbsolutePath(), CheckpointStore.resolve(a.resolve(CheckpointFiles.STATE)));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFiles.read(partial));
        assertTrue(e.getMessage().contains("incomplete checkpoint"), e.getMessage());
        // The next save clears the crash's temp folder.
        save(random(config(), 8, new TrainPosition(2, 3), 8));
        assertFalse(Files.exists(run.resolve("checkpoints/.tmp-ckpt-s000000009-e0002-b00004-123")));
    }

    @Test
    void aCorruptNewestCheckpointIsNotSkippedSilently() throws IOException {
        Path run = tmp.resolve("run");
        Path a = save(random(config(), 5, new TrainPosition(2, 0), 9));
        Path b = save(random(config(), 7, new TrainPosition(2, 2), 10));
        Files.writeString(b.resolve(CheckpointFiles.STATE), "{\"format\": 1}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointStore.load(run));
        assertTrue(e.getMessage().contains(b.getFileName() + "/state.json: truncated"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the checkpoint before it is " + a), e.getMessage());
    }

    @Test
    void aFailedSaveLeavesEverythingAsItWas() throws IOException {
        Path run = tmp.resolve("run");
        Path a = save(random(config(), 5, new TrainPosition(2, 0), 11));
        byte[] before = Files.readAllBytes(a.resolve(CheckpointFiles.MODEL));
        // A checkpoint cannot be written where a file blocks its folder name.
        Checkpoint next = random(config(), 6, new TrainPosition(2, 1), 12);
        Path blocked = tmp.resolve("blocked");
        Files.writeString(blocked, "not a folder");
        CheckpointWriteException e = assertThrows(CheckpointWriteException.class,
                () -> new CheckpointStore(blocked).save(next, 3));
        assertTrue(e.getMessage().startsWith("cannot write checkpoint " + blocked.resolve("checkpoints")), e.getMessage());
        assertEquals("not a folder", Files.readString(blocked));
        assertArrayEquals(before, Files.readAllBytes(a.resolve(CheckpointFiles.MODEL)));
        assertEquals(List.of(a), new CheckpointStore(run).list());
    }
}
