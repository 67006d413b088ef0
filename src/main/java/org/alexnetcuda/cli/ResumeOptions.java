package org.alexnetcuda.cli;

import org.alexnetcuda.train.RunConfig;

import picocli.CommandLine.ParseResult;

/**
 * The configuration of a resumed run: the checkpoint's (or, for a run stopped before its first checkpoint, the one
 * recorded in its config.json), with the options given on the command line applied where they may change and refused
 * where they may not.
 *
 * <ul>
 * <li>fixed (they define the network, the data or the random streams; a change would not continue the same run):
 *     --input-size, --classes, --lrn, --dropout, --widths, --batch-size, --seed, --no-shuffle, --augment,
 *     --limit-train, --limit-test, --weight-decay; given with the checkpoint's value they are accepted;</li>
 * <li>free: --epochs (the total), --lr (an explicit override), --device, --deterministic, --precision,
 *     --data-dir, --checkpoint-every, --keep; when not given, the checkpoint's value holds. --precision is free
 *     because weights and Adam's moments are FP32 in both precisions: TF32 only rounds the inputs of the
 *     convolutions and GEMMs, so a run may continue in the other precision (no longer bit for bit).</li>
 * </ul>
 */
final class ResumeOptions {
    private final TrainCommand c;
    private final ParseResult given;

    ResumeOptions(TrainCommand c, ParseResult given) {
        this.c = c;
        this.given = given;
    }

    RunConfig merge(RunConfig saved) {
        c.model.requireSame(saved.model(), saved.widths(), this::given);
        fixed("--batch-size", c.batchSize, saved.training().batchSize());
        fixed("--seed", c.seed, saved.training().seed());
        fixed("--no-shuffle", c.noShuffle, !saved.training().shuffle());
        fixed("--augment", c.augment, saved.augment());
        fixed("--limit-train", c.data.limitTrain, saved.data().limitTrain());
        fixed("--limit-test", c.data.limitTest, saved.data().limitTest());
        fixed("--weight-decay", c.weightDecay, saved.weightDecay());

        RunConfig r = saved;
        if (given("--epochs")) {
            r = r.withEpochs(c.epochs);
        }
        if (given("--lr")) {
            r = r.withLr(c.lr);
        }
        if (given("--precision")) {
            r = r.withPrecision(c.precision.value());
        }
        return r.withSession(given("--device") ? c.deviceOptions.device.name() : saved.device(),
                c.deterministic || saved.deterministic(),
                given("--checkpoint-every") ? c.checkpointEvery : saved.checkpointEvery(),
                given("--keep") ? c.keep : saved.keep(),
                given("--data-dir") ? c.data.dataDir.toString() : saved.data().dir());
    }

    private boolean given(String option) {
        return given.subcommand() != null ? given.subcommand().hasMatchedOption(option) : given.hasMatchedOption(option);
    }

    private void fixed(String option, Object value, Object saved) {
        ModelOptions.same(this::given, option, value, saved);
    }
}
