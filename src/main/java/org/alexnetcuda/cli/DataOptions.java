package org.alexnetcuda.cli;

import java.io.PrintStream;
import java.nio.file.Path;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.data.Cifar10Downloader;
import org.alexnetcuda.data.Cifar10Reader;

import picocli.CommandLine.Option;

/** Where the CIFAR-10 binary files are and how much of them to use. */
public final class DataOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "Folder with data_batch_1.bin .. data_batch_5.bin and test_batch.bin, or its parent holding cifar-10-batches-bin/ (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--download",
            description = "Download and unpack CIFAR-10 into --data-dir first if it is not there (MD5-checked).")
    boolean download;

    @Option(names = "--limit-train", paramLabel = "N", defaultValue = "0",
            description = "Use only the first N training images in file order (0: all).")
    int limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", defaultValue = "0",
            description = "Use only the first N test images in file order (0: all).")
    int limitTest;

    /** Downloads if asked, then reads the training and test sets. */
    public Cifar10Reader.Splits load(PrintStream log) {
        prepare(log);
        return Cifar10Reader.read(dataDir, limit(limitTrain), limit(limitTest));
    }

    /** Downloads if asked, then reads the test set only. */
    public Cifar10Dataset loadTest(PrintStream log) {
        prepare(log);
        return Cifar10Reader.readTest(dataDir, limit(limitTest));
    }

    private void prepare(PrintStream log) {
        if (limitTrain < 0 || limitTest < 0) {
            throw new IllegalArgumentException("--limit-train and --limit-test must not be negative");
        }
        if (download) {
            new Cifar10Downloader().log(log).download(dataDir);
        }
    }

    private static int limit(int n) {
        return n == 0 ? Cifar10Reader.ALL : n;
    }
}
