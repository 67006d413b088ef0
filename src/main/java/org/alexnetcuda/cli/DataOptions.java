package org.alexnetcuda.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.alexnetcuda.data.Cifar10Archive;
import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.data.Cifar10Downloader;
import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.data.DataException;
import org.alexnetcuda.data.DownloadException;

import picocli.CommandLine.Option;

/** Where the CIFAR-10 binary files are and how much of them to use. */
public final class DataOptions {
    /** Appended to every failed download: the way round it on a machine without a network. */
    static final String OFFLINE_ADVICE = "instead, fetch " + Cifar10Archive.FILE_NAME + " by other means, check that its MD5 is "
            + Cifar10Archive.MD5 + ", and pass the file or its folder with --data-dir";

    @Option(names = "--data-dir", paramLabel = "DIR|FILE", defaultValue = "data",
            description = "Folder with data_batch_1.bin .. data_batch_5.bin and test_batch.bin, or its parent holding cifar-10-batches-bin/,"
                    + " or " + Cifar10Archive.FILE_NAME + " (or a folder holding it), unpacked next to it after an MD5 check (default: ${DEFAULT-VALUE}).")
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

    /** Downloads or unpacks if needed, then reads the training and test sets. */
    public Cifar10Reader.Splits load(PrintStream log) {
        return Cifar10Reader.read(prepare(log), limit(limitTrain), limit(limitTest));
    }

    /** Downloads or unpacks if needed, then reads the test set only. */
    public Cifar10Dataset loadTest(PrintStream log) {
        return Cifar10Reader.readTest(prepare(log), limit(limitTest));
    }

    /**
     * The folder to read: a local archive (given, or lying in the given folder with no batch files beside it) is
     * unpacked next to it, before any download, since a user without a network has exactly that; otherwise
     * --download fetches the archive.
     */
    private Path prepare(PrintStream log) {
        if (limitTrain < 0 || limitTest < 0) {
            throw new IllegalArgumentException("--limit-train and --limit-test must not be negative");
        }
        Path archive = localArchive(dataDir);
        if (archive != null) {
            Cifar10Archive.Installed installed = Cifar10Archive.installFrom(archive, Cifar10Archive.MD5);
            if (installed.unpacked()) {
                log.println("unpacked " + archive + " into " + installed.dir());
            }
            return installed.dir();
        }
        if (download) {
            try {
                return Cifar10Downloader.fromSystemProperties().log(log).download(dataDir).dir();
            } catch (DownloadException e) {
                throw new DownloadException(e.getMessage() + "; " + OFFLINE_ADVICE, e);
            }
        }
        return dataDir;
    }

    /** The archive to unpack: dir itself when it is a file, or dir/cifar-10-binary.tar.gz when dir has no batches yet. */
    private static Path localArchive(Path dir) {
        if (Files.isRegularFile(dir)) {
            return dir;
        }
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        if (!Files.exists(dir) && (name.endsWith(".tar.gz") || name.endsWith(".tgz"))) {
            // Meant as the archive: say so, rather than "no such directory" or, with --download, a folder of that name.
            throw new DataException(dir + ": no such file");
        }
        Path inside = dir.resolve(Cifar10Archive.FILE_NAME);
        boolean hasBatches = Files.exists(dir.resolve(Cifar10Reader.trainFile(1))) || Files.exists(dir.resolve(Cifar10Reader.ARCHIVE_DIR));
        return Files.isDirectory(dir) && !hasBatches && Files.isRegularFile(inside) ? inside : null;
    }

    private static int limit(int n) {
        return n == 0 ? Cifar10Reader.ALL : n;
    }
}
