package org.alexnetcuda.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.alexnetcuda.data.SyntheticCifar;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "synth", description = "Write a synthetic, learnable dataset in CIFAR-10's binary format (for demos and tests; no network needed).",
        mixinStandardHelpOptions = true, sortOptions = false)
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write data_batch_*.bin, test_batch.bin and batches.meta.txt into.")
    Path out;

    @Option(names = "--train", paramLabel = "N", defaultValue = "5000", description = "Training images (default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--test", paramLabel = "N", defaultValue = "1000", description = "Test images (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed; the same seed gives the same files (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (train < 1 || test < 1) {
            throw new IllegalArgumentException("--train and --test must be at least 1");
        }
        SyntheticCifar.write(out, train, test, seed);
        System.out.printf("wrote %d training and %d test images to %s%n", train, test, out);
        return ExitCodes.OK;
    }
}
