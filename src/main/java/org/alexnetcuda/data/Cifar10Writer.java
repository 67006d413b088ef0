package org.alexnetcuda.data;

import static org.alexnetcuda.data.Cifar10Dataset.IMAGE_BYTES;
import static org.alexnetcuda.data.Cifar10Dataset.RECORD_BYTES;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes records in the official binary layout: per record, 1 label byte then the 3072 pixel bytes. */
public final class Cifar10Writer {
    private Cifar10Writer() {
    }

    /** Writes records [from, from + count) of ds to file f (replacing it). */
    public static void writeBatch(Path f, Cifar10Dataset ds, int from, int count) throws IOException {
        byte[] images = ds.images();
        byte[] labels = ds.labels();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
            for (int i = from; i < from + count; i++) {
                out.write(labels[i]);
                out.write(images, i * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        assert Files.size(f) == (long) count * RECORD_BYTES;
    }

    /** batches.meta.txt as the official archive has it: one class name per line. */
    public static void writeMeta(Path dir, List<String> classNames) throws IOException {
        Files.writeString(dir.resolve(Cifar10Reader.META_FILE), String.join("\n", classNames) + "\n", StandardCharsets.UTF_8);
    }

    /**
     * A whole dataset directory: train split into {@code trainFiles} batch files as evenly as possible (the first
     * files take one extra record when it does not divide), test_batch.bin and batches.meta.txt. Stale
     * data_batch_k.bin files beyond trainFiles are removed so the reader does not pick them up.
     */
    public static void writeDataset(Path dir, Cifar10Dataset train, Cifar10Dataset test, int trainFiles) throws IOException {
        if (trainFiles < 1 || trainFiles > Cifar10Reader.TRAIN_FILES) {
            throw new IllegalArgumentException("trainFiles " + trainFiles + " outside 1.." + Cifar10Reader.TRAIN_FILES);
        }
        if (train.size() < trainFiles || test.size() < 1) {
            throw new IllegalArgumentException("need at least one record per file: " + train.size() + " train in "
                    + trainFiles + " files, " + test.size() + " test");
        }
        Files.createDirectories(dir);
        int from = 0;
        for (int k = 1; k <= trainFiles; k++) {
            int count = train.size() / trainFiles + (k <= train.size() % trainFiles ? 1 : 0);
            writeBatch(dir.resolve(Cifar10Reader.trainFile(k)), train, from, count);
            from += count;
        }
        for (int k = trainFiles + 1; k <= Cifar10Reader.TRAIN_FILES; k++) {
            Files.deleteIfExists(dir.resolve(Cifar10Reader.trainFile(k)));
        }
        writeBatch(dir.resolve(Cifar10Reader.TEST_FILE), test, 0, test.size());
        writeMeta(dir, train.classNames());
    }
}
