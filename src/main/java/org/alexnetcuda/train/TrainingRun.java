package org.alexnetcuda.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.tensor.ParameterStore;

/**
 * A training run you can trust: the {@link Trainer} loop plus checkpoints (every epoch, every N steps, on a stop
 * request), the metrics files, and the last good checkpoint named when the loss diverges.
 */
public final class TrainingRun implements TrainHooks {
    private final Engine engine;
    private final RunConfig config;
    private final RunDirectory dir;
    private final StopSignal stop;
    private final PrintStream log;
    private final boolean quiet;
    private final String producer;
    private final List<EpochMetrics> history = new ArrayList<>();
    private final int classes;

    private TrainPosition start = TrainPosition.START;
    private double elapsedBefore;
    private long sessionStart;
    private int batchesPerEpoch;
    private Path lastCheckpoint;
    private String lastCheckpointName;

    /** What a finished run produced. */
    /** @param lossScale fp16's loss scale at the end, with the steps it skipped; null for other precisions */
    public record Result(List<EpochMetrics> history, Path lastCheckpoint, double sessionSeconds, double totalSeconds,
                         OptimizerState.LossScale lossScale) {
    }

    public TrainingRun(Engine engine, RunConfig config, RunDirectory dir, StopSignal stop, PrintStream log, boolean quiet,
                       String producer) {
        this.engine = engine;
        this.config = config;
        this.dir = dir;
        this.stop = stop;
        this.log = log;
        this.quiet = quiet;
        this.producer = producer;
        this.classes = engine.network().outputShape(1).c();
    }

    /**
     * Continues from a checkpoint: its weights, Adam state and partial-epoch totals go into the engine; its history
     * and time carry on. {@code from} is the checkpoint's folder.
     */
    public TrainingRun resume(Checkpoint c, Path from) {
        CheckpointState s = c.state();
        engine.writeParameters(c.weights());
        engine.restoreOptimizerState(c.optimizer());
        engine.restoreTotals(s.totals(classes));
        history.clear();
        history.addAll(s.history());
        elapsedBefore = s.elapsedSeconds();
        start = s.position();
        lastCheckpoint = from;
        // Saving again at the very position a run resumed from would only duplicate it.
        lastCheckpointName = CheckpointStore.name(s.step(), s.position());
        return this;
    }

    /** Where training starts (or continues). */
    public TrainPosition start() {
        return start;
    }

    /** Trains to the configured number of epochs; RunInterruptedException after a stop request, DivergedException. */
    public Result run(int trainSize, int testSize) {
        sessionStart = System.nanoTime();
        Trainer trainer = new Trainer(engine, config.training(), trainSize, testSize, log, quiet).hooks(this);
        batchesPerEpoch = trainer.batchesPerEpoch();
        writeRunFiles();
        try {
            trainer.run(start);
        } catch (DivergedException e) {
            throw new DivergedException(e.getMessage() + "; " + (lastCheckpoint == null
                    ? "no checkpoint was saved before it"
                    : "the last good checkpoint is " + lastCheckpoint), e.step());
        }
        double session = seconds();
        return new Result(List.copyOf(history), lastCheckpoint, session, elapsedBefore + session, engine.lossScale());
    }

    private double seconds() {
        return (System.nanoTime() - sessionStart) / 1e9;
    }

    /** On resume, the metrics files as the checkpoint has them (a crash may have come between the two writes). */
    private void writeRunFiles() {
        if (history.isEmpty()) {
            return;
        }
        try {
            MetricsLog.write(dir.path(), history);
        } catch (IOException e) {
            throw new CheckpointWriteException("cannot write the metrics in " + dir.path() + ": " + CheckpointStore.describe(e), e);
        }
    }

    @Override
    public void afterStep(TrainPosition next) {
        if (config.checkpointEvery() > 0 && engine.step() % config.checkpointEvery() == 0) {
            save(next);
        }
    }

    @Override
    public void afterEpoch(EpochMetrics metrics, TrainPosition next) {
        history.add(metrics);
        save(next);
        try {
            MetricsLog.write(dir.path(), history);
        } catch (IOException e) {
            throw new CheckpointWriteException("cannot write the metrics in " + dir.path() + ": "
                    + CheckpointStore.describe(e) + " (the checkpoint " + lastCheckpoint + " was saved)", e);
        }
    }

    @Override
    public boolean stopRequested() {
        return stop.requested();
    }

    @Override
    public void stop(TrainPosition at) {
        Path saved = save(at);
        throw new RunInterruptedException(at, saved);
    }

    /** A finite loss can still come with an overflowed update; such weights must never become a "good" checkpoint. */
    private void requireFinite(ParameterStore weights) {
        for (var p : weights.parameters()) {
            for (int i = p.offset(), end = p.offset() + p.size(); i < end; i++) {
                if (!Float.isFinite(weights.values[i])) {
                    throw new DivergedException("training diverged at step " + engine.step() + ": " + p.name()
                            + " has a non-finite value (try a lower --lr)", engine.step());
                }
            }
        }
    }

    /** Saves a checkpoint at this position (unless the last one is exactly here) and returns its folder. */
    private Path save(TrainPosition at) {
        String name = CheckpointStore.name(engine.step(), at);
        if (name.equals(lastCheckpointName)) {
            return lastCheckpoint;
        }
        ParameterStore weights = engine.network().newParameterStore();
        engine.readParameters(weights);
        requireFinite(weights);
        var t = engine.totals();
        boolean partial = at.batch() > 0;
        CheckpointState state = new CheckpointState(config, engine.step(), at, batchesPerEpoch,
                partial ? t.trainLossSum() : 0, partial ? t.trainBatches() : 0, partial ? t.trainSamples() : 0,
                history, elapsedBefore + seconds(), producer);
        lastCheckpoint = dir.checkpoints().save(new Checkpoint(state, weights, engine.optimizerState()), config.keep());
        lastCheckpointName = name;
        return lastCheckpoint;
    }
}
