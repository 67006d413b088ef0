package org.alexnetcuda.predict;

/**
 * Pixel-area resampling of an RGB image to 32x32, the CIFAR-10 size the network's preprocessing starts from.
 *
 * <p>Each output pixel is the mean of the source area it covers, partial pixels weighted by the fraction covered:
 * along an axis of {@code in} source and {@code out} output pixels, output pixel o covers the source interval
 * [o * in/out, (o + 1) * in/out), and source pixel i contributes its overlap with that interval, divided by in/out.
 * The filter is separable (rows, then columns), computed in double, and each channel is rounded to the nearest
 * 0..255 value (halves up). This is OpenCV's INTER_AREA for shrinking; for enlarging it is a box filter, which
 * replicates pixels when the factor is a whole number. A 32x32 image passes through unchanged, and an image made of
 * k x k blocks of one colour shrinks to exactly those colours.
 */
public final class AreaResize {
    public static final int SIDE = 32;

    private AreaResize() {
    }

    /**
     * Resizes argb (width x height, row-major, 0xAARRGGBB; alpha ignored) to 32x32 in CIFAR-10's layout:
     * 3072 bytes, the red plane, then green, then blue, each row-major.
     */
    public static byte[] toCifar(int[] argb, int width, int height) {
        if (width < 1 || height < 1 || argb.length != (long) width * height) {
            throw new IllegalArgumentException("image " + width + "x" + height + " with " + argb.length + " pixels");
        }
        double[][] wx = weights(width, SIDE);
        double[][] wy = weights(height, SIDE);
        byte[] out = new byte[3 * SIDE * SIDE];
        double[] rows = new double[height * SIDE];
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            for (int y = 0; y < height; y++) {
                for (int ox = 0; ox < SIDE; ox++) {
                    double s = 0;
                    double[] w = wx[ox];
                    int first = (int) w[0];
                    for (int k = 1; k < w.length; k++) {
                        s += w[k] * ((argb[y * width + first + k - 1] >>> shift) & 0xFF);
                    }
                    rows[y * SIDE + ox] = s;
                }
            }
            for (int oy = 0; oy < SIDE; oy++) {
                double[] w = wy[oy];
                int first = (int) w[0];
                for (int ox = 0; ox < SIDE; ox++) {
                    double s = 0;
                    for (int k = 1; k < w.length; k++) {
                        s += w[k] * rows[(first + k - 1) * SIDE + ox];
                    }
                    out[c * SIDE * SIDE + oy * SIDE + ox] = (byte) Math.min(255, Math.max(0, (int) Math.floor(s + 0.5)));
                }
            }
        }
        return out;
    }

    /**
     * For each output index: {first source index, weight of first, weight of first + 1, ...}; the weights of one
     * output sum to 1.
     */
    static double[][] weights(int in, int out) {
        double scale = (double) in / out;
        double[][] w = new double[out][];
        for (int o = 0; o < out; o++) {
            double lo = o * scale;
            double hi = (o + 1) * scale;
            int first = (int) Math.floor(lo);
            int last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
            double[] row = new double[last - first + 2];
            row[0] = first;
            for (int i = first; i <= last; i++) {
                row[i - first + 1] = (Math.min(i + 1, hi) - Math.max(i, lo)) / scale;
            }
            w[o] = row;
        }
        return w;
    }
}
