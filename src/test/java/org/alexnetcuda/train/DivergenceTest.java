package org.alexnetcuda.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.engine.Totals;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-finite loss stops the run at that step, through the engine's totals only (what a GPU engine reports too),
 * and the message names the last good checkpoint; weights that overflowed are never saved as good.
 */
class DivergenceTest {
    @TempDir
    Path tmp;

    @Test
    void aNonFiniteBatchLossStopsAtItsStepAndNamesTheLastGoodCheckpoint() {
        Cifar10Reader.Splits d = TinyRuns.data(64, 16);
        RunConfig c = TinyRuns.config(d, 3, 8, 1, 10, false, 1);
        try (Engine e = new ScriptedEngine(c.network(), 7, Float.NaN); RunDirectory dir = RunDirectory.open(tmp)) {
            TrainingRun run = new TrainingRun(e, c, dir, StopSignal.manual(), TinyRuns.discard(), true, "test");
            DivergedException x = assertThrows(DivergedException.class, () -> run.run(64, 16));
            assertEquals(7, x.step());
            assertTrue(x.getMessage().startsWith("training diverged at step 7 (epoch 1, batch 7 of 8): the batch loss is NaN"),
                    x.getMessage());
            Path last = dir.checkpoints().latest();
            assertEquals("ckpt-s000000006-e0001-b00006", last.getFileName().toString());
            assertTrue(x.getMessage().endsWith("(try a lower --lr); the last good checkpoint is " + last),
                    x.getMessage());
        }
    }

    @Test
    void beforeAnyCheckpointTheMessageSaysSo() {
        Cifar10Reader.Splits d = TinyRuns.data(64, 16);
        RunConfig c = TinyRuns.config(d, 3, 8, 0, 10, false, 1);
        try (Engine e = new ScriptedEngine(c.network(), 2, Float.POSITIVE_INFINITY); RunDirectory dir = RunDirectory.open(tmp)) {
            TrainingRun run = new TrainingRun(e, c, dir, StopSignal.manual(), TinyRuns.discard(), true, "test");
            DivergedException x = assertThrows(DivergedException.class, () -> run.run(64, 16));
            assertTrue(x.getMessage().contains("step 2") && x.getMessage().contains("Infinity")
                    && x.getMessage().endsWith("no checkpoint was saved before it"), x.getMessage());
            assertEquals(List.of(), dir.checkpoints().list());
        }
    }

    @Test
    void overflowedWeightsAreNeverSavedAsGood() {
        Cifar10Reader.Splits d = TinyRuns.data(64, 16);
        RunConfig c = TinyRuns.config(d, 3, 8, 1, 10, false, 1);
        ScriptedEngine e = new ScriptedEngine(c.network(), -1, 0f);
        e.poisonWeightsAtStep = 3;
        try (e; RunDirectory dir = RunDirectory.open(tmp)) {
            TrainingRun run = new TrainingRun(e, c, dir, StopSignal.manual(), TinyRuns.discard(), true, "test");
            DivergedException x = assertThrows(DivergedException.class, () -> run.run(64, 16));
            assertTrue(x.getMessage().startsWith("training diverged at step 3: net.0.weight has a non-finite value"), x.getMessage());
            assertEquals("ckpt-s000000002-e0001-b00002", dir.checkpoints().latest().getFileName().toString());
        }
    }

    /** An engine whose batch loss is 1 except at one step; it can also poison its weights. */
    private static final class ScriptedEngine implements Engine {
        private final NetworkSpec spec;
        private final ParameterStore params;
        private final long badStep;
        private final float badLoss;
        int poisonWeightsAtStep = -1;
        private long step;
        private double lossSum;
        private long batches;
        private long samples;

        ScriptedEngine(NetworkSpec spec, long badStep, float badLoss) {
            this.spec = spec;
            this.params = spec.newParameterStore();
            this.badStep = badStep;
            this.badLoss = badLoss;
        }

        @Override
        public void trainStep(int[] order, int from, int count) {
            step++;
            lossSum += step == badStep ? badLoss : 1.0;
            batches++;
            samples += count;
            if (step == poisonWeightsAtStep) {
                params.values[0] = Float.NaN;
            }
        }

        @Override
        public void evalBatch(int[] order, int from, int count) {
        }

        @Override
        public String description() {
            return "scripted";
        }

        @Override
        public NetworkSpec network() {
            return spec;
        }

        @Override
        public Totals totals() {
            return Totals.ofTraining(lossSum, batches, samples, 10);
        }

        @Override
        public void resetTotals() {
            lossSum = 0;
            batches = 0;
            samples = 0;
        }

        @Override
        public long step() {
            return step;
        }

        @Override
        public void readParameters(ParameterStore into) {
            System.arraycopy(params.values, 0, into.values, 0, params.size());
        }

        @Override
        public void writeParameters(ParameterStore from) {
            System.arraycopy(from.values, 0, params.values, 0, params.size());
        }

        @Override
        public OptimizerState optimizerState() {
            return new OptimizerState(step, new float[params.size()], new float[params.size()]);
        }

        @Override
        public void restoreOptimizerState(OptimizerState state) {
            step = state.step();
        }

        @Override
        public void restoreTotals(Totals t) {
            lossSum = t.trainLossSum();
            batches = t.trainBatches();
            samples = t.trainSamples();
        }

        @Override
        public float[] logits(int[] order, int from, int count) {
            return new float[count * 10];
        }

        @Override
        public void close() {
        }
    }
}
