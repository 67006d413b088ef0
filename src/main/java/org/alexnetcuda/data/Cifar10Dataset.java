package org.alexnetcuda.data;

import java.util.Arrays;
import java.util.List;

/**
 * CIFAR-10 records held as the file stores them, minus the label byte: {@code images} is N x 3072 unsigned bytes,
 * each image the red plane, then green, then blue, each plane 32x32 row-major. Pixel (c, y, x) of image i is
 * {@code images[i * 3072 + c * 1024 + y * 32 + x] & 0xFF}. Labels are one byte each, 0..9.
 *
 * <p>Kept as raw bytes (about 3 KB per image, 150 MB for the whole training set) so that a GPU engine can upload
 * them unchanged and preprocess on the device. The arrays are shared, not copied: callers must not modify them.
 */
public final class Cifar10Dataset {
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int PLANE = SIDE * SIDE;            // 1024
    public static final int IMAGE_BYTES = CHANNELS * PLANE; // 3072
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES; // 3073: label byte + pixels
    public static final int CLASSES = 10;
    public static final List<String> DEFAULT_CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private final byte[] images;
    private final byte[] labels;
    private final List<String> classNames;

    /**
     * @param images N * 3072 bytes in file layout
     * @param labels N labels, each in 0..classNames.size()-1
     */
    public Cifar10Dataset(byte[] images, byte[] labels, List<String> classNames) {
        if ((long) labels.length * IMAGE_BYTES != images.length) {
            throw new IllegalArgumentException(
                    labels.length + " labels need " + (long) labels.length * IMAGE_BYTES + " image bytes, got " + images.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " of record " + i + " outside 0.." + (classNames.size() - 1));
            }
        }
        this.images = images;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
    }

    public Cifar10Dataset(byte[] images, byte[] labels) {
        this(images, labels, DEFAULT_CLASS_NAMES);
    }

    public int size() {
        return labels.length;
    }

    /** The raw N x 3072 pixel bytes (shared; do not modify). */
    public byte[] images() {
        return images;
    }

    /** The raw N labels (shared; do not modify). */
    public byte[] labels() {
        return labels;
    }

    public int label(int i) {
        return labels[i];
    }

    /** The labels widened to int, a fresh array. */
    public int[] intLabels() {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[i];
        }
        return out;
    }

    /** Pixel value 0..255 of channel c (0 R, 1 G, 2 B), row y, column x of image i. */
    public int pixel(int i, int c, int y, int x) {
        return images[i * IMAGE_BYTES + c * PLANE + y * SIDE + x] & 0xFF;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** The first min(n, size()) records; this dataset itself when nothing is dropped. */
    public Cifar10Dataset limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit " + n + " < 0");
        }
        return n >= size() ? this : slice(0, n);
    }

    /** Records [from, from + count) as a new dataset (copies the bytes). */
    public Cifar10Dataset slice(int from, int count) {
        if (from < 0 || count < 0 || from + count > size()) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + (from + count) + ") of " + size() + " records");
        }
        return new Cifar10Dataset(
                Arrays.copyOfRange(images, from * IMAGE_BYTES, (from + count) * IMAGE_BYTES),
                Arrays.copyOfRange(labels, from, from + count),
                classNames);
    }

    /** Number of records of each class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (byte l : labels) {
            counts[l]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "Cifar10Dataset[" + size() + " images, " + classNames.size() + " classes]";
    }
}
