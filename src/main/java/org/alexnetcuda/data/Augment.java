package org.alexnetcuda.data;

import java.util.SplittableRandom;

/**
 * One sample's augmentation, explicit so that a GPU kernel can apply the very same transform: a random crop of the
 * 32x32 image zero-padded by {@link #PAD} pixels on every side, then an optional horizontal flip.
 *
 * <p>With the crop offset (dx, dy) in 0..2*PAD of the 40x40 padded image, output pixel (y, x) of the 32x32 crop is
 * source pixel {@code (y + dy - PAD, xs + dx - PAD)} with {@code xs = flip ? 31 - x : x}, or 0 (black, before
 * normalisation) where that falls outside the image. {@link #NONE} (dx = dy = PAD, no flip) is the identity.
 */
public record Augment(int dx, int dy, boolean flip) {
    public static final int PAD = 4;
    public static final Augment NONE = new Augment(PAD, PAD, false);

    /** Stream id in {@link Seeds#derive} so augmentation draws never coincide with other streams of one seed. */
    static final long STREAM = 0x41554721L;

    public Augment {
        if (dx < 0 || dx > 2 * PAD || dy < 0 || dy > 2 * PAD) {
            throw new IllegalArgumentException("crop offset (" + dx + ", " + dy + ") outside 0.." + 2 * PAD);
        }
    }

    /** Draws dx = rng.nextInt(9), then dy = rng.nextInt(9), then flip = rng.nextBoolean() (probability 0.5). */
    public static Augment draw(SplittableRandom rng) {
        int dx = rng.nextInt(2 * PAD + 1);
        int dy = rng.nextInt(2 * PAD + 1);
        return new Augment(dx, dy, rng.nextBoolean());
    }

    /**
     * The augmentations of one batch, a pure function of (seed, epoch, batch) so that a resumed run draws the same:
     * count draws in sample order from {@code new SplittableRandom(Seeds.derive(seed, STREAM, epoch, batch))}.
     */
    public static Augment[] forBatch(long seed, int epoch, int batch, int count) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, STREAM, epoch, batch));
        Augment[] out = new Augment[count];
        for (int i = 0; i < count; i++) {
            out[i] = draw(rng);
        }
        return out;
    }
}
