package org.alexnetcuda.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.Safetensors;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.train.Checkpoint;
import org.alexnetcuda.train.CheckpointException;
import org.alexnetcuda.train.CheckpointStore;
import org.alexnetcuda.train.DatasetFingerprint;
import org.alexnetcuda.train.MetricsChart;
import org.alexnetcuda.train.MetricsLog;
import org.alexnetcuda.train.ResumeSource;
import org.alexnetcuda.train.RunConfig;
import org.alexnetcuda.train.RunConfigFile;
import org.alexnetcuda.train.RunDirectory;
import org.alexnetcuda.train.RunReport;
import org.alexnetcuda.train.StopSignal;
import org.alexnetcuda.train.TrainOptions;
import org.alexnetcuda.train.TrainPosition;
import org.alexnetcuda.train.TrainingRun;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", description = {"Train AlexNet on CIFAR-10 and print one line per epoch.",
        "Checkpoints, metrics and a chart go to the run folder (--run-dir).",
        "SIGINT or SIGTERM saves a checkpoint and exits 130; --resume continues exactly where a run stopped."},
        mixinStandardHelpOptions = true, sortOptions = false)
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Epochs in all, counting those a resumed run already did (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.001",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}); with --resume, overrides the checkpoint's.")
    float lr;

    @Option(names = "--weight-decay", paramLabel = "L2", defaultValue = "0",
            description = "L2 penalty added to the gradient, as torch.optim.Adam's weight_decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seeds init, shuffling, dropout and augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-shuffle", description = "Keep the training set in file order (default: a new permutation each epoch).")
    boolean noShuffle;

    @Option(names = "--augment", description = "Random crop (4-pixel padding) and horizontal flip before the resize.")
    boolean augment;

    @Mixin
    DeviceOptions deviceOptions;

    @Mixin
    PrecisionOption precision;

    @Mixin
    ProfileOptions profile;

    @Mixin
    DeviceOptions.Graphs graphs;

    @Option(names = "--deterministic",
            description = "On the GPU, only deterministic cuDNN algorithms: bit-reproducible, usually slower. The CPU engine always is.")
    boolean deterministic;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Folder for checkpoints, metrics and the chart (default: runs/<date-time>; with --resume, the checkpoint's run folder).")
    Path runDir;

    @Option(names = "--resume", paramLabel = "DIR|FILE",
            description = "Continue a run: a run folder (its newest checkpoint; with none yet, the run starts again from its config.json), a checkpoint folder or a file in one.")
    Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0",
            description = "Also save a checkpoint every N steps (default: ${DEFAULT-VALUE}, only at the end of each epoch).")
    int checkpointEvery;

    @Option(names = "--keep", paramLabel = "K", defaultValue = "3",
            description = "Checkpoints kept in the run folder; older ones are deleted (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--init-from", paramLabel = "FILE",
            description = "Start from these weights (safetensors, the notebook's state_dict names) instead of Xavier init.")
    Path initFrom;

    @Option(names = "--save-weights", paramLabel = "FILE", description = "Also write the final weights (safetensors) here.")
    Path saveWeights;

    @Option(names = "--json", description = "At the end, print the epochs as one JSON object on stdout; human output goes to stderr.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintStream log = json ? System.err : System.out;
        ResumeSource from = null;
        CheckpointStore.Found found = null;
        RunConfig config;
        if (resume != null) {
            if (initFrom != null) {
                throw new IllegalArgumentException("--resume and --init-from cannot be combined (a resumed run continues from its checkpoint's weights)");
            }
            from = ResumeSource.find(resume);
            found = from.checkpoint();
            config = new ResumeOptions(this, spec.commandLine().getParseResult()).merge(from.config());
            if (found != null) {
                requireEpochs(found.checkpoint().state().position(), config.training().epochs());
            }
        } else {
            config = freshConfig(null);
        }
        NetworkSpec net = config.network();
        PrecisionOption.check(config.precision(), DeviceChoice.valueOf(config.device()));
        profile.check(DeviceChoice.valueOf(config.device()));
        DeviceChoice.valueOf(config.device()).require();
        Path dir = runFolder(from);
        if (saveWeights != null) {
            Main.checkWritable(saveWeights);
        }

        Cifar10Reader.Splits splits = loadData(config, log);
        DatasetFingerprint fp = DatasetFingerprint.of(splits.train(), splits.test());
        if (from != null) {
            String diff = config.data().fingerprint().difference(fp);
            if (diff != null) {
                throw new CheckpointException(from.source() + ": the data differs from the run's: " + diff);
            }
        } else {
            config = freshConfig(fp);
        }

        ParameterStore initial = net.newParameterStore();
        RunConfigFile.InitialWeights initialFile = null;
        if (found != null) {
            initial = found.checkpoint().weights();
        } else if (from != null && from.recorded().initFrom() != null) {
            Safetensors.load(from.recorded().requireInitialWeights(from.runDir()), initial);
            initialFile = from.recorded().initFrom();
        } else if (initFrom != null) {
            Safetensors.load(initFrom, initial);
            initialFile = RunConfigFile.InitialWeights.of(initFrom);
        } else {
            XavierInit.initialize(net, initial, config.training().seed());
        }

        // A run that starts at the beginning (new, or resumed before its first checkpoint) records its configuration
        // as its folder is created; one resumed from a checkpoint has it in the checkpoint.
        try (RunDirectory run = found != null ? RunDirectory.open(dir)
                : RunDirectory.create(dir, new RunConfigFile(config, initialFile));
             Engine engine = Engines.create(DeviceChoice.valueOf(config.device()), config.engineConfig(), net, initial,
                     splits.train(), splits.test(), config.training().batchSize(), !graphs.noGraph, profile.nvtx,
                     profile.window())) {
            try (StopSignal stop = StopSignal.install(log)) {
                TrainingRun training = new TrainingRun(engine, config, run, stop, log, false, "alexnet-cuda " + Main.version());
                if (found != null) {
                    training.resume(found.checkpoint(), found.dir());
                } else if (from != null) {
                    log.println("resuming " + resume + ": no checkpoint yet, so the run starts from the beginning with the "
                            + "options recorded in " + from.source());
                }
                RunReport.printStart(log, config, net, engine.description(), dir, training.start(), engine.step(),
                        found == null ? null : found.dir());
                if (engine instanceof org.alexnetcuda.engine.cuda.CudaEngine c && profile.requested()) {
                    log.println("  profiling: " + c.profiling());
                }
                fallbackLine(engine).ifPresent(log::println);
                if (found != null && config.lr() != found.checkpoint().state().config().lr()) {
                    log.println("  learning rate overridden: " + found.checkpoint().state().config().lr() + " -> " + config.lr());
                }
                if (found != null && config.precision() != found.checkpoint().state().config().precision()) {
                    log.println("  precision changed: " + found.checkpoint().state().config().precision() + " -> "
                            + config.precision() + " (the run is no longer bit for bit an uninterrupted one)");
                }
                log.println("training started" + (stop.handled().isEmpty() ? ""
                        : "; " + String.join(" or ", stop.handled()) + " saves a checkpoint and stops (exit 130)"));
                log.flush();
                TrainingRun.Result result = training.run(splits.train().size(), splits.test().size());
                finish(log, run.path(), result, engine, net);
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The run header's line for layers that run in FP32 because cuDNN refused their 16-bit calls, e.g.
     * "  cuDNN fallback: lrn1, lrn2 run in FP32 (cudnnLRNCrossChannelForward: CUDNN_STATUS_NOT_SUPPORTED for
     * BFLOAT16)"; none when nothing falls back.
     */
    static java.util.Optional<String> fallbackLine(Engine engine) {
        return engine instanceof org.alexnetcuda.engine.cuda.CudaEngine c && !c.fp32Fallback().isEmpty()
                ? java.util.Optional.of("  cuDNN fallback: " + c.fp32Fallback().describe()) : java.util.Optional.empty();
    }

    /**
     * --epochs is the total; it cannot go below what the checkpoint has trained. Equal to the finished epochs (a
     * finished run resumed) trains nothing and just writes the results again, so resuming is idempotent.
     */
    private static void requireEpochs(TrainPosition at, int epochs) {
        int least = at.batch() > 0 ? at.epoch() : at.epochsCompleted();
        if (epochs < least) {
            throw new IllegalArgumentException("--epochs " + epochs + " is less than the checkpoint has trained (" + at
                    + "); pass --epochs " + Math.max(least, 1) + " or more");
        }
    }

    /** The chart, the optional weights copy, the summary and the --json output. */
    private void finish(PrintStream log, Path dir, TrainingRun.Result result, Engine engine, NetworkSpec net) throws IOException {
        try {
            MetricsChart.write(dir.resolve(MetricsChart.FILE), result.history(), "AlexNet on CIFAR-10: " + dir.getFileName());
        } catch (IOException | RuntimeException | LinkageError e) {
            log.println("warning: could not draw " + dir.resolve(MetricsChart.FILE) + ": " + e.getMessage());
        }
        if (saveWeights != null) {
            ParameterStore w = net.newParameterStore();
            engine.readParameters(w);
            Safetensors.write(saveWeights, w, Map.of("format", "pt", "producer", "alexnet-cuda"));
        }
        RunReport.printEnd(log, result, dir, saveWeights);
        if (json) {
            JsonObject out = JsonParser.parseString(MetricsLog.toJson(result.history())).getAsJsonObject();
            if (result.lossScale() != null) {
                JsonObject ls = new JsonObject();
                ls.addProperty("scale", result.lossScale().scale());
                ls.addProperty("skipped_steps", result.lossScale().skippedSteps());
                out.add("loss_scale", ls);
            }
            System.out.println(new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(out));
        }
    }

    /** The configuration of a new run from the options; fp null while the data is not read yet (options check only). */
    private RunConfig freshConfig(DatasetFingerprint fp) {
        DatasetFingerprint f = fp != null ? fp : new DatasetFingerprint(0, 0, "", "", List.of());
        return new RunConfig(model.config(), model.widths(),
                new RunConfig.DataConfig(data.dataDir.toString(), data.limitTrain, data.limitTest, f),
                new TrainOptions(epochs, batchSize, !noShuffle, seed), lr, weightDecay, augment, deterministic,
                precision.value(), deviceOptions.device.name(), checkpointEvery, keep);
    }

    /**
     * The run folder: --run-dir, else (resuming) the checkpoint's own run folder, else a new runs/&lt;date-time&gt;.
     * A new run refuses a folder that already holds checkpoints: it would mix two runs and prune the other's.
     */
    private Path runFolder(ResumeSource from) {
        Path own = from == null || from.runDir() == null ? null : from.runDir().toAbsolutePath().normalize();
        Path dir = runDir != null ? runDir : own != null ? own : RunDirectory.defaultPath(Path.of("runs"), LocalDateTime.now());
        RunDirectory.checkWritable(dir);
        boolean same = own != null && own.equals(dir.toAbsolutePath().normalize());
        if (!same && new CheckpointStore(dir).latest() != null) {
            throw new IllegalArgumentException("run folder " + dir + " already holds checkpoints of another run; continue it with --resume "
                    + dir + ", or pick another --run-dir");
        }
        return dir;
    }

    private Cifar10Reader.Splits loadData(RunConfig config, PrintStream log) {
        data.limitTrain = config.data().limitTrain();
        data.limitTest = config.data().limitTest();
        data.dataDir = Path.of(config.data().dir());
        return data.load(log);
    }
}
