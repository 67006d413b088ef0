package org.alexnetcuda.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Pixel-area resampling to 32x32: exact on the cases where the answer is known. */
class AreaResizeTest {
    private static int[] randomImage(int w, int h, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = 0xFF000000 | rng.nextInt(1 << 24);
        }
        return px;
    }

    /** CIFAR layout of a 32x32 ARGB image, written out directly. */
    private static byte[] planes(int[] argb) {
        byte[] out = new byte[3072];
        for (int i = 0; i < 1024; i++) {
            out[i] = (byte) (argb[i] >> 16);
            out[1024 + i] = (byte) (argb[i] >> 8);
            out[2048 + i] = (byte) argb[i];
        }
        return out;
    }

    @Test
    void a32x32ImagePassesThroughUnchanged() {
        int[] img = randomImage(32, 32, new SplittableRandom().nextLong());
        assertArrayEquals(planes(img), AreaResize.toCifar(img, 32, 32));
    }

    @Test
    void blocksOfOneColourShrinkToThatColour() {
        int[] small = randomImage(32, 32, new SplittableRandom().nextLong());
        for (int k : new int[] {2, 3, 7}) {
            int[] big = new int[32 * k * 32 * k];
            for (int y = 0; y < 32 * k; y++) {
                for (int x = 0; x < 32 * k; x++) {
                    big[y * 32 * k + x] = small[(y / k) * 32 + x / k];
                }
            }
            assertArrayEquals(planes(small), AreaResize.toCifar(big, 32 * k, 32 * k), "block size " + k);
        }
    }

    @Test
    void wholeFactorEnlargingReplicatesPixels() {
        int[] tiny = randomImage(16, 8, 5);
        byte[] out = AreaResize.toCifar(tiny, 16, 8);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int src = tiny[(y / 4) * 16 + x / 2];
                assertEquals((byte) (src >> 16), out[y * 32 + x]);
                assertEquals((byte) src, out[2048 + y * 32 + x]);
            }
        }
    }

    @Test
    void partialPixelsAreWeightedByCoverage() {
        // 48 -> 32: each output pixel covers one source pixel and half of the next, alternately.
        double[][] w = AreaResize.weights(48, 32);
        assertArrayEquals(new double[] {0, 2.0 / 3, 1.0 / 3}, w[0], 1e-12);
        assertArrayEquals(new double[] {1, 1.0 / 3, 2.0 / 3}, w[1], 1e-12);
        for (int in : new int[] {1, 7, 33, 45, 100, 1000}) {
            for (double[] row : AreaResize.weights(in, 32)) {
                double sum = 0;
                for (int k = 1; k < row.length; k++) {
                    sum += row[k];
                }
                assertEquals(1.0, sum, 1e-9, "weights of " + in + " -> 32 sum to 1");
            }
        }
    }

    @Test
    void aUniformImageOfAnySizeStaysUniform() {
        for (int[] size : new int[][] {{45, 13}, {1, 1}, {640, 480}}) {
            int[] img = new int[size[0] * size[1]];
            java.util.Arrays.fill(img, 0xFF7F10E0);
            byte[] out = AreaResize.toCifar(img, size[0], size[1]);
            for (int i = 0; i < 1024; i++) {
                assertEquals((byte) 0x7F, out[i]);
                assertEquals((byte) 0x10, out[1024 + i]);
                assertEquals((byte) 0xE0, out[2048 + i]);
            }
        }
    }
}
