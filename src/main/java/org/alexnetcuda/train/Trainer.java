package org.alexnetcuda.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.data.EpochBatches;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.Totals;

/**
 * The training loop, independent of the engine: for each epoch, one pass over the training set in batches
 * (the last partial batch included), then one pass over the test set, then the notebook's epoch line.
 */
public final class Trainer {
    /** The running loss shown in progress is read from the engine at most this often (it may sync a device). */
    private static final long LOSS_READ_INTERVAL_NANOS = 300_000_000L;

    private final Engine engine;
    private final TrainOptions options;
    private final int trainSize;
    private final int testSize;
    private final PrintStream log;
    private final boolean quiet;

    public Trainer(Engine engine, TrainOptions options, int trainSize, int testSize, PrintStream log, boolean quiet) {
        this.engine = engine;
        this.options = options;
        this.trainSize = trainSize;
        this.testSize = testSize;
        this.log = log;
        this.quiet = quiet;
    }

    /** Runs epochs firstEpoch..options.epochs (1-based) and returns their metrics. */
    public List<EpochMetrics> run(int firstEpoch) {
        List<EpochMetrics> all = new ArrayList<>();
        for (int epoch = firstEpoch; epoch <= options.epochs(); epoch++) {
            EpochMetrics m = runEpoch(epoch);
            all.add(m);
            log.println(m.notebookLine(options.epochs()));
            log.printf("  %.1f s, %.1f images/s%n", m.seconds(), m.imagesPerSecond());
            if (!Double.isFinite(m.trainLoss())) {
                throw new DivergedException("training diverged in epoch " + epoch + ": train loss is " + m.trainLoss()
                        + " (try a lower --lr)");
            }
        }
        return all;
    }

    private EpochMetrics runEpoch(int epoch) {
        engine.resetTotals();
        long start = System.nanoTime();
        EpochBatches batches = EpochBatches.of(trainSize, options.batchSize(), options.shuffle(), options.seed(), epoch);
        try (Progress p = Progress.start("epoch " + epoch + "/" + options.epochs(), trainSize, log, quiet)) {
            long lastRead = 0;
            for (EpochBatches.Batch b : batches) {
                int count = b.count();
                engine.trainStep(b.indices(), b.from(), count);
                double loss = Double.NaN;
                long now = System.nanoTime();
                if (p.wantsLoss() && now - lastRead >= LOSS_READ_INTERVAL_NANOS) {
                    loss = engine.totals().trainLoss();
                    lastRead = now;
                }
                p.advance(count, loss);
            }
        }
        long trainEnd = System.nanoTime();
        evaluate(engine, testSize, options.batchSize());
        long end = System.nanoTime();
        Totals t = engine.totals();
        double trainSeconds = (trainEnd - start) / 1e9;
        return new EpochMetrics(epoch, t.trainLoss(), t.evalLoss(), t.evalAccuracy(), (end - start) / 1e9,
                t.trainSamples() / trainSeconds);
    }

    /** One pass over the test set in file order, in batches, into the engine's eval totals. */
    public static void evaluate(Engine engine, int testSize, int batchSize) {
        for (EpochBatches.Batch b : EpochBatches.of(testSize, batchSize, false, 0, 0)) {
            engine.evalBatch(b.indices(), b.from(), b.count());
        }
    }
}
