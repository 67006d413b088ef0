package org.alexnetcuda.data;

import static org.alexnetcuda.data.Cifar10Dataset.IMAGE_BYTES;
import static org.alexnetcuda.data.Cifar10Dataset.RECORD_BYTES;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the official "CIFAR-10 binary version": {@code data_batch_1.bin} .. {@code data_batch_5.bin} (training set,
 * every one present, in that order; at least the first), {@code test_batch.bin} (test set) and optionally
 * {@code batches.meta.txt} (class names, one per line). Each record is 1 label byte followed by 3072 pixel bytes.
 *
 * <p>The directory may be the batch directory itself or one that contains {@code cifar-10-batches-bin/} (what the
 * archive unpacks to). With a limit only the first records are read: file sizes are checked for every file of the
 * set, but bytes are read only up to the limit. Every problem is a {@link DataException} naming the file.
 */
public final class Cifar10Reader {
    public static final String ARCHIVE_DIR = "cifar-10-batches-bin";
    public static final int TRAIN_FILES = 5;
    public static final String TEST_FILE = "test_batch.bin";
    public static final String META_FILE = "batches.meta.txt";
    /** Pass as a limit to read every record. */
    public static final int ALL = -1;

    /** Records read per I/O call: about 3 MB. */
    private static final int CHUNK_RECORDS = 1024;

    private Cifar10Reader() {
    }

    /** Training and test sets read together. */
    public record Splits(Cifar10Dataset train, Cifar10Dataset test) {
    }

    public static String trainFile(int k) {
        return "data_batch_" + k + ".bin";
    }

    /** Both sets; a limit below zero ({@link #ALL}) means every record. */
    public static Splits read(Path dir, int limitTrain, int limitTest) {
        Path d = resolve(dir);
        List<String> names = readClassNames(d);
        return new Splits(readFiles(trainFiles(d), limitTrain, names), readFiles(List.of(d.resolve(TEST_FILE)), limitTest, names));
    }

    public static Cifar10Dataset readTrain(Path dir, int limit) {
        Path d = resolve(dir);
        return readFiles(trainFiles(d), limit, readClassNames(d));
    }

    public static Cifar10Dataset readTest(Path dir, int limit) {
        Path d = resolve(dir);
        return readFiles(List.of(d.resolve(TEST_FILE)), limit, readClassNames(d));
    }

    /**
     * The directory holding the batch files: {@code dir} if it has {@code data_batch_1.bin}, else
     * {@code dir/cifar-10-batches-bin} if that has it.
     */
    public static Path resolve(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory"));
        }
        if (!Files.isReadable(dir)) {
            throw new DataException(dir + ": directory is not readable");
        }
        if (Files.exists(dir.resolve(trainFile(1)))) {
            return dir;
        }
        Path sub = dir.resolve(ARCHIVE_DIR);
        if (Files.exists(sub.resolve(trainFile(1)))) {
            return sub;
        }
        throw new DataException(trainFile(1) + ": not found in " + dir + " nor in " + sub
                + " (add --download, or pass " + Cifar10Archive.FILE_NAME + " with --data-dir; synth makes a synthetic set)");
    }

    /**
     * True when {@code dir} (or its {@code cifar-10-batches-bin}) holds the full official file set: all five training
     * batches and the test batch, each a non-empty whole number of records. Never throws.
     */
    public static boolean isComplete(Path dir) {
        return isCompleteBatchDir(dir) || isCompleteBatchDir(dir.resolve(ARCHIVE_DIR));
    }

    static boolean isCompleteBatchDir(Path d) {
        List<Path> files = new ArrayList<>();
        for (int k = 1; k <= TRAIN_FILES; k++) {
            files.add(d.resolve(trainFile(k)));
        }
        files.add(d.resolve(TEST_FILE));
        try {
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    return false;
                }
                long size = Files.size(f);
                if (size == 0 || size % RECORD_BYTES != 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** data_batch_1..5 that exist in d, in order; the first must exist. */
    static List<Path> trainFiles(Path d) {
        List<Path> files = new ArrayList<>();
        for (int k = 1; k <= TRAIN_FILES; k++) {
            Path f = d.resolve(trainFile(k));
            if (Files.exists(f)) {
                files.add(f);
            } else if (k == 1) {
                throw new DataException(trainFile(1) + ": not found in " + d);
            }
        }
        return files;
    }

    /** Class names from batches.meta.txt (non-blank lines, trimmed) when present, else the default ten. */
    public static List<String> readClassNames(Path dir) {
        Path meta = dir.resolve(META_FILE);
        if (!Files.exists(meta)) {
            return Cifar10Dataset.DEFAULT_CLASS_NAMES;
        }
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new DataException(META_FILE + ": cannot read: " + e);
        }
        if (names.size() != Cifar10Dataset.CLASSES) {
            throw new DataException(META_FILE + ": " + names.size() + " class names, expected " + Cifar10Dataset.CLASSES);
        }
        return List.copyOf(names);
    }

    /** The first limit records (all when limit < 0) of the concatenation of files. */
    static Cifar10Dataset readFiles(List<Path> files, int limit, List<String> classNames) {
        long available = 0;
        long[] records = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            records[i] = recordCount(files.get(i));
            available += records[i];
        }
        long wanted = limit < 0 ? available : Math.min(limit, available);
        if (wanted > Integer.MAX_VALUE / IMAGE_BYTES) {
            throw new DataException(files.get(0).getFileName() + ": " + wanted + " records do not fit in one array");
        }
        int n = (int) wanted;
        byte[] images = new byte[n * IMAGE_BYTES];
        byte[] labels = new byte[n];
        int done = 0;
        for (int i = 0; i < files.size() && done < n; i++) {
            int take = (int) Math.min(records[i], n - done);
            readRecords(files.get(i), take, images, labels, done, classNames.size());
            done += take;
        }
        return new Cifar10Dataset(images, labels, classNames);
    }

    /** Records in a batch file, after checking its size is a non-zero multiple of 3073. */
    static long recordCount(Path f) {
        String name = f.getFileName().toString();
        long size;
        try {
            size = Files.size(f);
        } catch (NoSuchFileException e) {
            throw new DataException(name + ": not found in " + f.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new DataException(name + ": cannot read size: " + e);
        }
        if (size == 0) {
            throw new DataException(name + ": empty file");
        }
        if (size % RECORD_BYTES != 0) {
            throw new DataException(name + ": size " + size + " is not a whole number of " + RECORD_BYTES + "-byte records");
        }
        return size / RECORD_BYTES;
    }

    /** Reads the first count records of f into images/labels starting at record offset 'at'. */
    private static void readRecords(Path f, int count, byte[] images, byte[] labels, int at, int classes) {
        String name = f.getFileName().toString();
        byte[] buf = new byte[Math.min(count, CHUNK_RECORDS) * RECORD_BYTES];
        try (InputStream in = Files.newInputStream(f)) {
            for (int r = 0; r < count; ) {
                int chunk = Math.min(CHUNK_RECORDS, count - r);
                int len = chunk * RECORD_BYTES;
                int got = in.readNBytes(buf, 0, len);
                if (got != len) {
                    throw new DataException(name + ": unexpected end of file in record " + (r + got / RECORD_BYTES));
                }
                for (int k = 0; k < chunk; k++) {
                    int off = k * RECORD_BYTES;
                    int label = buf[off] & 0xFF;
                    if (label >= classes) {
                        throw new DataException(name + ": record " + (r + k) + " has label " + label
                                + ", expected 0.." + (classes - 1));
                    }
                    labels[at + r + k] = (byte) label;
                    System.arraycopy(buf, off + 1, images, (at + r + k) * IMAGE_BYTES, IMAGE_BYTES);
                }
                r += chunk;
            }
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + e);
        }
    }
}
