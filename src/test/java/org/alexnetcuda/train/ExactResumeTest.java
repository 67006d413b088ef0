package org.alexnetcuda.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.engine.Totals;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.ParameterStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise: a run interrupted after any step, or during an evaluation, and resumed from its checkpoint
 * ends bit for bit where the uninterrupted run ends: weights, Adam state, and every epoch's metrics.
 * Shuffling, dropout and augmentation are all on, so every random stream is exercised.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactResumeTest {
    /** 5 batches of 32 per epoch (the last one partial: 150 = 4 x 32 + 22), 2 epochs, 10 steps. */
    private static final int TRAIN = 150;
    private static final int TEST = 40;
    private static final int EPOCHS = 2;

    private Cifar10Reader.Splits data;
    private long seed;
    private TinyRuns.Outcome reference;

    /** The engine under test; the CUDA engine on the simulator overrides this ({@link ExactResumeSimTest}). */
    Engine engine(RunConfig c, Cifar10Reader.Splits d) {
        return TinyRuns.engine(c, d);
    }

    /** Augmentation on: the CPU engine supports it; the CUDA engine does not yet. */
    boolean augment() {
        return true;
    }

    @TempDir
    Path tmp;

    @BeforeAll
    void uninterrupted() {
        data = TinyRuns.data(TRAIN, TEST);
        seed = new SplittableRandom().nextLong(); // a fresh run each time: nothing here depends on a lucky seed
        RunConfig c = config(0, 1);
        try (Engine e = engine(c, data)) {
            List<EpochMetrics> h = new Trainer(e, c.training(), TRAIN, TEST, TinyRuns.discard(), true).run(1);
            reference = TinyRuns.Outcome.of(e, h);
            checkReference(e);
        }
        assertEquals(10, reference.step());
    }

    /** What a subclass requires of the uninterrupted run's final engine state. */
    void checkReference(Engine e) {
    }

    private RunConfig config(int every, int keep) {
        return TinyRuns.config(data, EPOCHS, 32, every, keep, augment(), seed);
    }

    /** Runs c in runDir from scratch or from a checkpoint, with an engine wrapper that may request a stop. */
    private TinyRuns.Outcome run(RunConfig c, Path runDir, CheckpointStore.Found from, StopAt stopAt) {
        StopSignal stop = StopSignal.manual();
        try (Engine inner = engine(c, data); RunDirectory dir = RunDirectory.open(runDir)) {
            Engine e = stopAt == null ? inner : new StoppingEngine(inner, stop, stopAt);
            TrainingRun run = new TrainingRun(e, c, dir, stop, TinyRuns.discard(), true, "test");
            if (from != null) {
                run.resume(from.checkpoint(), from.dir());
            }
            TrainingRun.Result r = run.run(TRAIN, TEST);
            return TinyRuns.Outcome.of(inner, r.history());
        }
    }

    private void assertSameAsReference(TinyRuns.Outcome o, String label) {
        String what = label + " (seed " + seed + ")";
        assertEquals(reference.step(), o.step(), what);
        assertEquals(reference.adamStep(), o.adamStep(), what + ": Adam's step count");
        assertEquals(reference.lossScale(), o.lossScale(), what + ": loss scale");
        assertArrayEquals(reference.weights(), o.weights(), what + ": weights");
        assertArrayEquals(reference.m(), o.m(), what + ": Adam m");
        assertArrayEquals(reference.v(), o.v(), what + ": Adam v");
        assertEquals(reference.history().size(), o.history().size(), what);
        for (int i = 0; i < o.history().size(); i++) {
            EpochMetrics a = reference.history().get(i);
            EpochMetrics b = o.history().get(i);
            assertEquals(a.epoch(), b.epoch(), what);
            assertEquals(a.trainLoss(), b.trainLoss(), 0.0, what + ": train loss of epoch " + a.epoch());
            assertEquals(a.testLoss(), b.testLoss(), 0.0, what + ": test loss of epoch " + a.epoch());
            assertEquals(a.testAccuracy(), b.testAccuracy(), 0.0, what + ": test accuracy of epoch " + a.epoch());
        }
    }

    @Test
    void resumingFromTheCheckpointAfterEveryStepEndsWhereTheUninterruptedRunEnds() {
        Path runDir = tmp.resolve("every-step");
        TinyRuns.Outcome withCheckpoints = run(config(1, 100), runDir, null, null);
        assertSameAsReference(withCheckpoints, "checkpointing itself");
        List<Path> all = new CheckpointStore(runDir).list();
        // After each of the 10 steps, plus the two epoch ends (evaluated) at steps 5 and 10.
        assertEquals(12, all.size(), all::toString);
        for (Path ckpt : all) {
            CheckpointStore.Found f = CheckpointStore.load(ckpt);
            Path other = tmp.resolve("from-" + ckpt.getFileName());
            assertSameAsReference(run(config(0, 1), other, f, null), "resumed from " + ckpt.getFileName());
        }
    }

    @Test
    void aStopRequestSavesACheckpointFromWhichTheRunEndsTheSame() {
        // before any step; mid-epoch; after an epoch's last step (its evaluation pending); during an evaluation
        StopAt[] points = {new StopAt(0, -1), new StopAt(3, -1), new StopAt(7, -1), new StopAt(5, -1), new StopAt(-1, 1)};
        for (StopAt at : points) {
            Path runDir = tmp.resolve("stop-" + at.afterSteps() + "-" + at.afterEvalBatches());
            RunInterruptedException e = assertThrows(RunInterruptedException.class,
                    () -> run(config(0, 3), runDir, null, at), at::toString);
            assertNotNull(e.checkpoint(), at::toString);
            CheckpointStore.Found f = CheckpointStore.load(runDir);
            assertEquals(e.checkpoint().getFileName(), f.dir().getFileName(), "the newest checkpoint is the stop's");
            assertSameAsReference(run(config(0, 3), runDir, f, null), "stopped at " + at);
        }
    }

    @Test
    void keepsOnlyTheLastKCheckpoints() {
        Path runDir = tmp.resolve("keep");
        run(config(2, 2), runDir, null, null);
        List<Path> all = new CheckpointStore(runDir).list();
        assertEquals(2, all.size(), all::toString);
        assertTrue(all.get(1).getFileName().toString().startsWith("ckpt-s000000010-e0003-b00000"), all::toString);
    }

    /** Request a stop after this many training steps (or -1), or after this many evaluation batches (or -1). */
    record StopAt(int afterSteps, int afterEvalBatches) {
    }

    /** Passes everything through, and asks for a stop at a chosen moment, as a signal would. */
    private static final class StoppingEngine implements Engine {
        private final Engine e;
        private final StopSignal stop;
        private final StopAt at;
        private int steps;
        private int evals;

        StoppingEngine(Engine e, StopSignal stop, StopAt at) {
            this.e = e;
            this.stop = stop;
            this.at = at;
            if (at.afterSteps() == 0) {
                stop.request("test");
            }
        }

        @Override
        public void trainStep(int[] order, int from, int count) {
            e.trainStep(order, from, count);
            if (++steps == at.afterSteps()) {
                stop.request("test");
            }
        }

        @Override
        public void evalBatch(int[] order, int from, int count) {
            e.evalBatch(order, from, count);
            if (++evals == at.afterEvalBatches()) {
                stop.request("test");
            }
        }

        @Override
        public String description() {
            return e.description();
        }

        @Override
        public NetworkSpec network() {
            return e.network();
        }

        @Override
        public Totals totals() {
            return e.totals();
        }

        @Override
        public void resetTotals() {
            e.resetTotals();
        }

        @Override
        public long step() {
            return e.step();
        }

        @Override
        public void readParameters(ParameterStore into) {
            e.readParameters(into);
        }

        @Override
        public void writeParameters(ParameterStore from) {
            e.writeParameters(from);
        }

        @Override
        public OptimizerState optimizerState() {
            return e.optimizerState();
        }

        @Override
        public void restoreOptimizerState(OptimizerState state) {
            e.restoreOptimizerState(state);
        }

        @Override
        public void restoreTotals(Totals totals) {
            e.restoreTotals(totals);
        }

        @Override
        public float[] logits(int[] order, int from, int count) {
            return e.logits(order, from, count);
        }

        @Override
        public void close() {
            // the inner engine is closed by its owner
        }
    }
}
