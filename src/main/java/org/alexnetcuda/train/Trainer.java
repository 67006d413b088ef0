package org.alexnetcuda.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.alexnetcuda.data.EpochBatches;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.Totals;

/**
 * The training loop, independent of the engine: for each epoch, one pass over the training set in batches
 * (the last partial batch included), then one pass over the test set, then the notebook's epoch line.
 *
 * <p>It can start at any {@link TrainPosition}: every random choice of a step (batch order, dropout, augmentation)
 * is a function of the seed, the epoch and the step, so a run restored from a checkpoint continues exactly as the
 * uninterrupted run would have. The batch loss is checked through the engine's totals (the only thing every engine
 * reports), and a non-finite one stops the run: after every step where reading the totals is free (the CPU
 * engine), at most every {@link #TOTALS_READ_INTERVAL_NANOS} and at the end of the epoch where it costs a device
 * synchronisation (the CUDA engine, whose steps must not wait on the host), naming the steps in between.
 */
public final class Trainer {
    /** Where reading the totals synchronises a device, they are read at most this often during an epoch. */
    static final long TOTALS_READ_INTERVAL_NANOS = 300_000_000L;

    private final Engine engine;
    private final TrainOptions options;
    private final int trainSize;
    private final int testSize;
    private final PrintStream log;
    private final boolean quiet;
    private TrainHooks hooks = TrainHooks.NONE;

    public Trainer(Engine engine, TrainOptions options, int trainSize, int testSize, PrintStream log, boolean quiet) {
        this.engine = engine;
        this.options = options;
        this.trainSize = trainSize;
        this.testSize = testSize;
        this.log = log;
        this.quiet = quiet;
    }

    /** Sets what runs around the loop (checkpoints, stopping); returns this. */
    public Trainer hooks(TrainHooks h) {
        this.hooks = h;
        return this;
    }

    /** Batches per epoch, the last partial one included. */
    public int batchesPerEpoch() {
        return EpochBatches.of(trainSize, options.batchSize(), false, 0, 0).batchCount();
    }

    /** Runs epochs firstEpoch..options.epochs (1-based) and returns their metrics. */
    public List<EpochMetrics> run(int firstEpoch) {
        return run(new TrainPosition(firstEpoch, 0));
    }

    /**
     * Runs from {@code start} to the end of epoch options.epochs and returns the metrics of the epochs it finished.
     * When start.batch() > 0 the engine's totals must hold that epoch's training totals so far (a checkpoint's,
     * through {@link Engine#restoreTotals}); otherwise they are reset at the start of each epoch.
     */
    public List<EpochMetrics> run(TrainPosition start) {
        List<EpochMetrics> all = new ArrayList<>();
        for (int epoch = start.epoch(); epoch <= options.epochs(); epoch++) {
            EpochMetrics m = runEpoch(epoch, epoch == start.epoch() ? start.batch() : 0);
            all.add(m);
            log.println(m.notebookLine(options.epochs()));
            log.printf("  %.1f s, %.1f images/s%n", m.seconds(), m.imagesPerSecond());
            hooks.afterEpoch(m, new TrainPosition(epoch + 1, 0));
        }
        return all;
    }

    private EpochMetrics runEpoch(int epoch, int firstBatch) {
        if (firstBatch == 0) {
            engine.resetTotals();
        }
        long start = System.nanoTime();
        long samplesBefore = engine.totals().trainSamples();
        EpochBatches batches = EpochBatches.of(trainSize, options.batchSize(), options.shuffle(), options.seed(), epoch);
        if (firstBatch > batches.batchCount()) {
            throw new IllegalArgumentException("batch " + firstBatch + " is past the " + batches.batchCount()
                    + " batches of an epoch");
        }
        String task = "epoch " + epoch + "/" + options.epochs();
        long remaining = trainSize - Math.min(trainSize, (long) firstBatch * options.batchSize());
        try (Progress p = Progress.start(task, remaining, log, quiet)) {
            Iterator<EpochBatches.Batch> it = batches.startingAt(firstBatch);
            long lastRead = System.nanoTime();
            long lastFiniteStep = engine.step();
            while (it.hasNext()) {
                EpochBatches.Batch b = it.next();
                stopIfRequested(new TrainPosition(epoch, b.index()));
                engine.trainStep(b.indices(), b.from(), b.count());
                double loss = Double.NaN;
                long now = System.nanoTime();
                if (engine.totalsAreCheap() || now - lastRead >= TOTALS_READ_INTERVAL_NANOS || !it.hasNext()) {
                    Totals t = engine.totals();
                    lastRead = now;
                    if (!Double.isFinite(t.trainLossSum())) {
                        boolean exact = engine.step() == lastFiniteStep + 1;
                        String where = exact ? "at step " + engine.step()
                                : "between steps " + (lastFiniteStep + 1) + " and " + engine.step();
                        throw new DivergedException("training diverged " + where + " (epoch " + epoch + ", batch "
                                + (b.index() + 1) + " of " + batches.batchCount() + "): the " + (exact ? "batch " : "")
                                + "loss is " + t.trainLossSum() + " (try a lower --lr)", engine.step());
                    }
                    lastFiniteStep = engine.step();
                    loss = t.trainLoss();
                }
                hooks.afterStep(new TrainPosition(epoch, b.index() + 1));
                p.advance(b.count(), loss);
            }
        }
        long trainEnd = System.nanoTime();
        evaluate(engine, testSize, options.batchSize(), new TrainPosition(epoch, batches.batchCount()));
        long end = System.nanoTime();
        Totals t = engine.totals();
        double trainSeconds = (trainEnd - start) / 1e9;
        return new EpochMetrics(epoch, t.trainLoss(), t.evalLoss(), t.evalAccuracy(), (end - start) / 1e9,
                (t.trainSamples() - samplesBefore) / trainSeconds);
    }

    private void evaluate(Engine engine, int testSize, int batchSize, TrainPosition pending) {
        try (Progress p = Progress.start("test", testSize, log, quiet)) {
            for (EpochBatches.Batch b : EpochBatches.of(testSize, batchSize, false, 0, 0)) {
                stopIfRequested(pending);
                engine.evalBatch(b.indices(), b.from(), b.count());
                p.advance(b.count(), Double.NaN);
            }
        }
    }

    private void stopIfRequested(TrainPosition at) {
        if (hooks.stopRequested()) {
            hooks.stop(at);
            throw new RunInterruptedException(at, null);
        }
    }

    /** One pass over the test set in file order, in batches, into the engine's eval totals. */
    public static void evaluate(Engine engine, int testSize, int batchSize) {
        for (EpochBatches.Batch b : EpochBatches.of(testSize, batchSize, false, 0, 0)) {
            engine.evalBatch(b.indices(), b.from(), b.count());
        }
    }
}
