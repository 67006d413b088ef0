package org.alexnetcuda.kernels;

import static org.alexnetcuda.kernels.ParamType.I32;
import static org.alexnetcuda.kernels.ParamType.PTR;

import java.util.Objects;

import org.alexnetcuda.tensor.StorageFormat;

/**
 * Launcher for native-kernels/data.cu: one pass from the uint8 CIFAR-10 images in device memory to a normalised
 * float NCHW batch of size x size images (gather by the epoch's permutation, optional crop and flip, bilinear
 * resize as F.interpolate with align_corners=False, normalisation), plus the labels as int32; bit for bit
 * {@code org.alexnetcuda.data.Preprocessing.fillBatch} and {@code fillLabels} for the same augmentations.
 */
public final class DataKernels {
    /**
     * data_prepare_batch(float* out, int* labels_out, const unsigned char* images, const unsigned char* labels,
     * int count, const int* perm, const int* batch_start, int batch, int size, const int* crop, const int* flip).
     */
    public static final Kernel PREPARE_BATCH = Kernel.of("data", "data_prepare_batch",
            PTR, PTR, PTR, PTR, I32, PTR, PTR, I32, I32, PTR, PTR);

    /**
     * data_prepare_batch_half(unsigned short* out, int* labels_out, const unsigned char* images,
     * const unsigned char* labels, int count, const int* perm, const int* batch_start, int batch, int size,
     * const int* crop, const int* flip, int fmt).
     */
    public static final Kernel PREPARE_BATCH_HALF = Kernel.of("data", "data_prepare_batch_half",
            PTR, PTR, PTR, PTR, I32, PTR, PTR, I32, I32, PTR, PTR, I32);

    /** Side of a CIFAR-10 image. */
    public static final int SIDE = 32;
    /** Bytes of one image: R, G, B planes of 32 x 32. */
    public static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    /** Zero padding around the image for random crops; crop offsets are in [0, 2 * CROP_PADDING]. */
    public static final int CROP_PADDING = 4;

    private final KernelLauncher launcher;

    public DataKernels(KernelLauncher launcher) {
        this.launcher = launcher;
    }

    /**
     * Prepares one batch.
     *
     * @param out        float [batch x 3 x size x size]
     * @param labelsOut  int [batch]
     * @param images     uint8 [count x 3072], the dataset
     * @param labels     uint8 [count]
     * @param perm       int [>= start + batch] dataset indices in epoch order, or null for the identity
     * @param batchStart device int: the batch's first position in perm (device memory so that a captured graph
     *                   replays every batch), or null for 0
     * @param crop       int [2 x batch]: (dx, dy) of sample k at [2k], [2k + 1], each in [0, 8], the crop offset
     *                   into the 4-padded image as {@code Augment.dx()}, {@code dy()}; or null for no crop
     * @param flip       int [batch], non-zero to flip left-right ({@code Augment.flip()}), or null for no flip
     */
    public void prepareBatch(Object stream, Object out, Object labelsOut, Object images, Object labels, int count,
                             Object perm, Object batchStart, int batch, int size, Object crop, Object flip) {
        prepareBatch(stream, out, labelsOut, images, labels, count, perm, batchStart, batch, size, crop, flip,
                StorageFormat.F32);
    }

    /**
     * {@link #prepareBatch(Object, Object, Object, Object, Object, int, Object, Object, int, int, Object, Object)}
     * with out stored in fmt: F32 runs the float kernel; F16 and BF16 store each of its float values rounded to
     * nearest even (labels are int32 either way).
     */
    public void prepareBatch(Object stream, Object out, Object labelsOut, Object images, Object labels, int count,
                             Object perm, Object batchStart, int batch, int size, Object crop, Object flip,
                             StorageFormat fmt) {
        Objects.requireNonNull(fmt, "fmt");
        LaunchShape.requireNonNegative("batch", batch);
        if (size <= 0 || count <= 0) {
            throw new IllegalArgumentException("size and count must be > 0, got " + size + ", " + count);
        }
        long elements = (long) batch * 3 * size * size;
        if (elements > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch too large: " + elements + " floats");
        }
        if (batch > 0) {
            if (fmt == StorageFormat.F32) {
                launcher.launch(PREPARE_BATCH, LaunchShape.elementwiseGrid(elements), LaunchShape.ELEMENTWISE_BLOCK,
                        0, stream, out, labelsOut, images, labels, count, perm, batchStart, batch, size, crop, flip);
            } else {
                launcher.launch(PREPARE_BATCH_HALF, LaunchShape.elementwiseGrid(elements),
                        LaunchShape.ELEMENTWISE_BLOCK, 0, stream, out, labelsOut, images, labels, count, perm,
                        batchStart, batch, size, crop, flip, fmt.code());
            }
        }
    }
}
