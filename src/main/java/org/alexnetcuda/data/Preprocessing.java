package org.alexnetcuda.data;

import static org.alexnetcuda.data.Cifar10Dataset.IMAGE_BYTES;
import static org.alexnetcuda.data.Cifar10Dataset.PLANE;
import static org.alexnetcuda.data.Cifar10Dataset.SIDE;

import java.util.stream.IntStream;

/**
 * Turns uint8 CIFAR images into the network's float NCHW input. Per sample, in this order:
 * <ol>
 *   <li>optional {@link Augment} on the 32x32 uint8 image: crop of the 4-pixel zero-padded image, then
 *       horizontal flip (padding is 0, i.e. black before normalisation);</li>
 *   <li>{@code v = pixel / 255f};</li>
 *   <li>bilinear resize 32 -> size with PyTorch {@code align_corners=False} semantics ({@link BilinearResize});</li>
 *   <li>per channel {@code (v - MEAN[c]) / STD[c]}.</li>
 * </ol>
 * This equals, in float32, {@code (F.interpolate(x / 255, size=(S, S), mode='bilinear', align_corners=False) - mean)
 * / std} in PyTorch (checked against a committed PyTorch fixture to 1e-5).
 */
public final class Preprocessing {
    /** CIFAR-10 training-set channel means (R, G, B) of pixel / 255. */
    public static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};
    /** CIFAR-10 channel standard deviations (R, G, B) of pixel / 255. */
    public static final float[] STD = {0.2470f, 0.2435f, 0.2616f};

    private Preprocessing() {
    }

    /**
     * Fills out (count x 3 x size x size floats, NCHW) with samples {@code indices[from + i]}, i in [0, count), of ds.
     * indices null means the identity order (sample i is record from + i). aug null means no augmentation; otherwise
     * aug[i] (batch-relative, null entries meaning none) applies to sample i. Parallel over samples.
     */
    public static void fillBatch(Cifar10Dataset ds, int[] indices, int from, int count, int size, Augment[] aug, float[] out) {
        int sample = 3 * size * size;
        if (out.length < (long) count * sample) {
            throw new IllegalArgumentException("output holds " + out.length + " floats, batch needs " + (long) count * sample);
        }
        if (aug != null && aug.length < count) {
            throw new IllegalArgumentException(aug.length + " augmentations for " + count + " samples");
        }
        BilinearResize resize = BilinearResize.of(SIDE, size);
        byte[] images = ds.images();
        IntStream.range(0, count).parallel().forEach(i -> {
            int record = indices == null ? from + i : indices[from + i];
            Augment a = aug == null || aug[i] == null ? Augment.NONE : aug[i];
            float[] src = new float[IMAGE_BYTES];
            toFloat(images, record * IMAGE_BYTES, a, src);
            float[] tmp = new float[SIDE * size];
            for (int c = 0; c < 3; c++) {
                resize.resizePlane(src, c * PLANE, tmp, out, i * sample + c * size * size, MEAN[c], STD[c]);
            }
        });
    }

    /** out[i] = label of record indices[from + i] (indices null: from + i), i in [0, count). */
    public static void fillLabels(Cifar10Dataset ds, int[] indices, int from, int count, int[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = ds.label(indices == null ? from + i : indices[from + i]);
        }
    }

    /** The augmented 3 x 32 x 32 image at images[off..] as pixel / 255 floats. */
    static void toFloat(byte[] images, int off, Augment a, float[] dst) {
        int shiftY = a.dy() - Augment.PAD;
        int shiftX = a.dx() - Augment.PAD;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIDE; y++) {
                int sy = y + shiftY;
                for (int x = 0; x < SIDE; x++) {
                    int sx = (a.flip() ? SIDE - 1 - x : x) + shiftX;
                    boolean inside = sy >= 0 && sy < SIDE && sx >= 0 && sx < SIDE;
                    dst[c * PLANE + y * SIDE + x] = inside ? (images[off + c * PLANE + sy * SIDE + sx] & 0xFF) / 255f : 0f;
                }
            }
        }
    }
}
