package org.alexnetcuda.train;

import java.util.List;
import java.util.zip.CRC32C;

import org.alexnetcuda.data.Cifar10Dataset;

/**
 * What identifies the data a run trains on, so that a resumed run can refuse other data: the image counts after
 * --limit-train / --limit-test, a CRC-32C of each set's labels and pixels, and the class names. The folder may
 * move; the bytes may not change.
 */
public record DatasetFingerprint(int trainImages, int testImages, String trainCrc32c, String testCrc32c,
                                 List<String> classNames) {
    public DatasetFingerprint {
        classNames = List.copyOf(classNames);
    }

    public static DatasetFingerprint of(Cifar10Dataset train, Cifar10Dataset test) {
        return new DatasetFingerprint(train.size(), test.size(), crc(train), crc(test), train.classNames());
    }

    /** CRC-32C of the labels then the pixels, as 8 hex digits. */
    static String crc(Cifar10Dataset ds) {
        CRC32C c = new CRC32C();
        c.update(ds.labels());
        c.update(ds.images());
        return String.format("%08x", c.getValue());
    }

    /** Null when the same, else one phrase saying what differs. */
    public String difference(DatasetFingerprint other) {
        if (trainImages != other.trainImages || testImages != other.testImages) {
            return other.trainImages + " training and " + other.testImages + " test images instead of "
                    + trainImages + " and " + testImages;
        }
        if (!trainCrc32c.equals(other.trainCrc32c)) {
            return "training images or labels differ (CRC-32C " + other.trainCrc32c + " instead of " + trainCrc32c + ")";
        }
        if (!testCrc32c.equals(other.testCrc32c)) {
            return "test images or labels differ (CRC-32C " + other.testCrc32c + " instead of " + testCrc32c + ")";
        }
        if (!classNames.equals(other.classNames)) {
            return "class names differ";
        }
        return null;
    }
}
