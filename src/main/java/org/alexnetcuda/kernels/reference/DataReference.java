package org.alexnetcuda.kernels.reference;

import java.util.Arrays;

import org.alexnetcuda.data.Augment;
import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.data.Preprocessing;
import org.alexnetcuda.kernels.DataKernels;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * native-kernels/data.cu in Java, through the CPU pipeline itself ({@link Preprocessing#fillBatch}: crop and flip,
 * pixel / 255f, bilinear resize as F.interpolate(align_corners=False), normalisation):
 * <pre>
 *   data_prepare_batch(float* out, int* labels_out, const unsigned char* images, const unsigned char* labels,
 *                      int count, const int* perm, const int* batch_start, int batch, int size,
 *                      const int* crop, const int* flip)
 *   start = batch_start ? *batch_start : 0
 *   for k in [0, batch): idx = perm ? perm[start + k] : start + k                 (trap unless 0 <= idx < count)
 *       labels_out[k] = labels[idx]                                              (uint8 -> int32)
 *       out[k] = fillBatch of image idx with Augment(crop[2k], crop[2k+1], flip[k] != 0)
 *                (crop null: no crop, i.e. (4, 4); flip null: no flip)
 * </pre>
 * The kernel evaluates the same float operations per output element in the same order (its comment says how), so
 * the two agree bit for bit. Kernel semantics that the reference adds to fillBatch's: the images are gathered from
 * device memory by the permutation, the augmentations come from device arrays, and labels are read as unsigned
 * bytes. A crop offset outside [0, 8], which the launcher documents as invalid, is refused (Augment checks it).
 * {@code data_prepare_batch_half} (the same parameters and {@code int fmt}) writes each of those floats rounded to
 * the 16-bit format ({@link HalfElements}).
 */
public final class DataReference {
    private static final int IMAGE = DataKernels.IMAGE_BYTES;
    /** Output floats per piece of samples (16 MiB): a few samples at 227 x 227, whole batches at 32 x 32. */
    private static final int PIECE_FLOATS = 1 << 22;

    private DataReference() {
    }

    public static void dataPrepareBatch(KernelMemory mem, Object out, Object labelsOut, Object images, Object labels,
                                        int count, Object perm, Object batchStart, int batch, int size, Object crop,
                                        Object flip) {
        prepare("data_prepare_batch", mem, out, labelsOut, images, labels, count, perm, batchStart, batch, size, crop,
                flip, StorageFormat.F32);
    }

    public static void dataPrepareBatchHalf(KernelMemory mem, Object out, Object labelsOut, Object images,
                                            Object labels, int count, Object perm, Object batchStart, int batch,
                                            int size, Object crop, Object flip, int fmt) {
        String kernel = "data_prepare_batch_half";
        StorageFormat format = HalfElements.format(kernel, fmt);
        prepare(kernel, mem, out, labelsOut, images, labels, count, perm, batchStart, batch, size, crop, flip, format);
    }

    /** Into float (F32) or 16-bit elements of the given format. */
    private static void prepare(String kernel, KernelMemory mem, Object out, Object labelsOut, Object images,
                                Object labels, int count, Object perm, Object batchStart, int batch, int size,
                                Object crop, Object flip, StorageFormat format) {
        int start = Pointers.isNull(batchStart) ? 0 : mem.getInt(batchStart, 0);
        long total = 3L * size * size * batch;
        if (total > Integer.MAX_VALUE) {
            throw new KernelTrapException(kernel, "total <= 0x7fffffffLL", total + " output elements");
        }
        if (batch <= 0 || size == 0) {
            return;  // no output element: the kernel's loop does not run
        }
        if (size < 0) {
            throw new IllegalArgumentException(kernel + ": size " + size + " < 0");
        }
        Pointers.required(out, kernel, "out");
        Pointers.required(labelsOut, kernel, "labels_out");
        Pointers.required(images, kernel, "images");
        Pointers.required(labels, kernel, "labels");

        int[] index = sampleIndices(kernel, mem, perm, start, batch, count);
        int[] labelValues = new int[batch];
        for (int k = 0; k < batch; k++) {
            labelValues[k] = mem.getUnsignedByte(labels, index[k]);
        }
        Augment[] aug = augmentations(kernel, mem, crop, flip, batch);

        int sample = 3 * size * size;
        int piece = Math.max(1, Math.min(batch, PIECE_FLOATS / sample));
        byte[] pixels = new byte[piece * IMAGE];
        float[] values = new float[piece * sample];
        short[] bits = format.isHalf() ? new short[values.length] : null;
        for (int k0 = 0; k0 < batch; k0 += piece) {
            int n = Math.min(piece, batch - k0);
            for (int k = 0; k < n; k++) {
                mem.readBytes(images, (long) index[k0 + k] * IMAGE, pixels, k * IMAGE, IMAGE);
            }
            // The gathered images as a dataset of n records in batch order (labels are not used by fillBatch).
            byte[] bytes = n == piece ? pixels : Arrays.copyOf(pixels, n * IMAGE);
            Cifar10Dataset gathered = new Cifar10Dataset(bytes, new byte[n]);
            Augment[] a = Arrays.copyOfRange(aug, k0, k0 + n);
            Preprocessing.fillBatch(gathered, null, 0, n, size, a, values);
            if (bits == null) {
                mem.writeFloats(out, (long) k0 * sample, values, 0, n * sample);
            } else {
                HalfElements.write(mem, out, (long) k0 * sample, n * sample, format, bits, values);
            }
        }
        mem.writeInts(labelsOut, 0, labelValues, 0, batch);
    }

    /** The dataset index of each sample of the batch; traps as the kernel on one outside [0, count). */
    private static int[] sampleIndices(String kernel, KernelMemory mem, Object perm, int start, int batch, int count) {
        int[] index = new int[batch];
        if (Pointers.isNull(perm)) {
            for (int k = 0; k < batch; k++) {
                index[k] = start + k;
            }
        } else {
            mem.readInts(perm, start, index, 0, batch);
        }
        for (int k = 0; k < batch; k++) {
            if (!(index[k] >= 0 && index[k] < count)) {
                throw new KernelTrapException(kernel, "idx >= 0 && idx < count",
                        "sample " + k + ": index " + index[k] + ", count " + count);
            }
        }
        return index;
    }

    /** Augment.NONE where crop and flip are both null; otherwise per sample from the device arrays. */
    private static Augment[] augmentations(String kernel, KernelMemory mem, Object crop, Object flip, int batch) {
        int[] offsets = null;
        if (!Pointers.isNull(crop)) {
            offsets = new int[2 * batch];
            mem.readInts(crop, 0, offsets, 0, offsets.length);
        }
        int[] flips = null;
        if (!Pointers.isNull(flip)) {
            flips = new int[batch];
            mem.readInts(flip, 0, flips, 0, batch);
        }
        Augment[] aug = new Augment[batch];
        for (int k = 0; k < batch; k++) {
            int dx = offsets == null ? Augment.PAD : offsets[2 * k];
            int dy = offsets == null ? Augment.PAD : offsets[2 * k + 1];
            boolean flipped = flips != null && flips[k] != 0;
            try {
                aug[k] = new Augment(dx, dy, flipped);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(kernel + ": sample " + k + ": " + e.getMessage(), e);
            }
        }
        return aug;
    }
}
