package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.alexnetcuda.data.Augment;
import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.data.Preprocessing;
import org.alexnetcuda.engine.StorageFormat;
import org.alexnetcuda.kernels.reference.KernelTrapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * data.cu in the host build: bit for bit against its Java reference (org.alexnetcuda.kernels.reference.DataReference,
 * which runs org.alexnetcuda.data.Preprocessing.fillBatch on the gathered images), the reference against
 * Preprocessing.fillBatch/fillLabels with the same Augment values, and the kernel against independent facts
 * (PyTorch's align_corners=False sampling of a ramp, identity at 32 x 32, crop and flip geometry).
 */
@ExtendWith(ScheduleReport.class)
class DataKernelsTest {
    static final float[] MEAN = Preprocessing.MEAN;
    static final float[] STD = Preprocessing.STD;
    static final int IMAGE = DataKernels.IMAGE_BYTES;

    static byte[] randomImages(long seed, int count) {
        byte[] b = new byte[count * IMAGE];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    record Batch(float[] out, int[] labels) {
    }

    static Batch run(byte[] images, byte[] labels, int[] perm, int start, int batch, int size, int[] crop, int[] flip) {
        HostKernelLauncher launcher = new HostKernelLauncher();
        Batch b = run(launcher, images, labels, perm, start, batch, size, crop, flip);
        assertEquals(LaunchShape.elementwiseGrid((long) batch * 3 * size * size), launcher.launches.get(0).gridX());
        return b;
    }

    /** The Java reference of the kernel on the same arguments. */
    static Batch reference(byte[] images, byte[] labels, int[] perm, int start, int batch, int size, int[] crop,
                           int[] flip) {
        return run(HostBufferMemory.launcher(), images, labels, perm, start, batch, size, crop, flip);
    }

    private static Batch run(KernelLauncher launcher, byte[] images, byte[] labels, int[] perm, int start, int batch,
                             int size, int[] crop, int[] flip) {
        HostBuffer out = HostBuffer.zeros(4 * batch * 3 * size * size);
        HostBuffer labelsOut = HostBuffer.zeros(4 * batch);
        new DataKernels(launcher).prepareBatch(null, out, labelsOut, HostBuffer.bytes(images),
                HostBuffer.bytes(labels), labels.length, perm == null ? null : HostBuffer.ints(perm),
                HostBuffer.ints(start), batch, size, crop == null ? null : HostBuffer.ints(crop),
                flip == null ? null : HostBuffer.ints(flip));
        return new Batch(out.floats(), labelsOut.ints());
    }

    @Test
    void realInputSizeWithPermutationCropAndFlipMatchesTheMirror() {
        int count = 20;
        byte[] images = randomImages(1, count);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        int[] perm = {7, 3, 19, 0, 12, 5, 8, 1};
        int start = 2;
        int batch = 5;
        int[] crop = {0, 8, 3, 5, 8, 0, 4, 4, 1, 7};  // (dx, dy) per sample
        int[] flip = {1, 0, 1, 1, 0};
        Batch b = run(images, labels, perm, start, batch, 227, crop, flip);
        Batch r = reference(images, labels, perm, start, batch, 227, crop, flip);
        ReluKernelsTest.assertBitsEqual(r.out(), b.out(), "227");
        assertArrayEquals(r.labels(), b.labels(), "labels");
        for (int k = 0; k < batch; k++) {
            assertEquals(labels[perm[start + k]], b.labels()[k], "label " + k);
        }

        // The reference is the CPU pipeline: fillBatch and fillLabels with the same Augment values.
        Cifar10Dataset ds = new Cifar10Dataset(images, labels);
        Augment[] aug = new Augment[batch];
        for (int k = 0; k < batch; k++) {
            aug[k] = new Augment(crop[2 * k], crop[2 * k + 1], flip[k] != 0);
        }
        float[] cpu = new float[batch * 3 * 227 * 227];
        Preprocessing.fillBatch(ds, perm, start, batch, 227, aug, cpu);
        ReluKernelsTest.assertBitsEqual(cpu, r.out(), "reference vs Preprocessing.fillBatch");
        int[] cpuLabels = new int[batch];
        Preprocessing.fillLabels(ds, perm, start, batch, cpuLabels);
        assertArrayEquals(cpuLabels, r.labels(), "reference vs Preprocessing.fillLabels");
    }

    @Test
    void otherSizesWithoutAugmentation() {
        byte[] images = randomImages(2, 4);
        byte[] labels = {9, 8, 7, 6};
        for (int size : new int[] {1, 16, 31, 33, 64, 100}) {
            Batch b = run(images, labels, null, 1, 3, size, null, null);
            Batch r = reference(images, labels, null, 1, 3, size, null, null);
            ReluKernelsTest.assertBitsEqual(r.out(), b.out(), "size " + size);
            assertArrayEquals(new int[] {8, 7, 6}, b.labels());
            assertArrayEquals(new int[] {8, 7, 6}, r.labels(), "reference");
        }
    }

    @Test
    void at32WithoutAugmentationItIsExactlyTheNormalisedImage() {
        byte[] images = randomImages(3, 2);
        Batch b = run(images, new byte[] {0, 1}, null, 0, 2, 32, null, null);
        for (int i = 0; i < b.out().length; i++) {
            int c = (i / 1024) % 3;
            float expected = ((images[i] & 0xff) / 255f - MEAN[c]) / STD[c];
            assertEquals(expected, b.out()[i], 0f, "element " + i);
        }
    }

    /** align_corners=False upsampling 32 -> 64 of a horizontal ramp: src = (dst + 0.5) / 2 - 0.5, clamped to [0, 31]. */
    @Test
    void rampUpsampledAsPyTorch() {
        byte[] image = new byte[IMAGE];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    image[c * 1024 + y * 32 + x] = (byte) (8 * x);
                }
            }
        }
        Batch b = run(image, new byte[] {0}, null, 0, 1, 64, null, null);
        for (int c = 0; c < 3; c++) {
            for (int oy = 0; oy < 64; oy++) {
                for (int ox = 0; ox < 64; ox++) {
                    double src = Math.min(Math.max((ox + 0.5) / 2 - 0.5, 0), 31);
                    float out = b.out()[(c * 64 + oy) * 64 + ox];
                    double v = (out * STD[c] + MEAN[c]) * 255;
                    assertEquals(8 * src, v, 1e-3, "c" + c + " (" + oy + ", " + ox + ")");
                }
            }
        }
    }

    @Test
    void cropAndFlipGeometry() {
        byte[] images = randomImages(4, 1);
        byte[] lab = {0};
        float[] plain = run(images, lab, null, 0, 1, 32, null, null).out();
        assertArrayEquals(plain, run(images, lab, null, 0, 1, 32, new int[] {4, 4}, new int[] {0}).out(),
                "crop at (4, 4) is the image itself");

        float[] shifted = run(images, lab, null, 0, 1, 32, new int[] {0, 0}, null).out();
        float[] right = run(images, lab, null, 0, 1, 32, new int[] {8, 0}, null).out();  // dx = 8, dy = 0
        float[] flipped = run(images, lab, null, 0, 1, 32, null, new int[] {1}).out();
        for (int c = 0; c < 3; c++) {
            float black = (0f / 255.0f - MEAN[c]) / STD[c];
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int i = (c * 32 + y) * 32 + x;
                    float expectedShift = y < 4 || x < 4 ? black : plain[(c * 32 + y - 4) * 32 + x - 4];
                    assertEquals(expectedShift, shifted[i], 0f, "crop (0, 0) at " + i);
                    // (dx, dy) = (8, 0): source (y - 4, x + 4).
                    float expectedRight = y < 4 || x >= 28 ? black : plain[(c * 32 + y - 4) * 32 + x + 4];
                    assertEquals(expectedRight, right[i], 0f, "crop (8, 0) at " + i);
                    assertEquals(plain[(c * 32 + y) * 32 + 31 - x], flipped[i], 0f, "flip at " + i);
                }
            }
        }
    }

    @Test
    void anIndexOutsideTheDatasetTraps() {
        HostKernelRunner.path();  // skips here, not inside assertThrows, where the host build is unavailable
        HostKernelLauncher.KernelFailure f = assertThrows(HostKernelLauncher.KernelFailure.class,
                () -> run(randomImages(5, 2), new byte[] {0, 1}, new int[] {0, 2}, 0, 2, 8, null, null));
        assertTrue(f.getMessage().contains("kernel trap"), f.getMessage());
        KernelTrapException t = assertThrows(KernelTrapException.class,
                () -> reference(randomImages(5, 2), new byte[] {0, 1}, new int[] {0, 2}, 0, 2, 8, null, null));
        assertEquals("idx >= 0 && idx < count", t.condition());
    }

    /** Labels are unsigned bytes to the kernel (any value 0..255), and the reference reads them so. */
    @Test
    void labelsAreUnsignedBytes() {
        byte[] images = randomImages(6, 2);
        byte[] labels = {(byte) 200, 7};
        int[] expected = {200, 7};
        assertArrayEquals(expected, run(images, labels, null, 0, 2, 4, null, null).labels());
        assertArrayEquals(expected, reference(images, labels, null, 0, 2, 4, null, null).labels());
    }

    /** The 16-bit kernel: the float kernel's values rounded, bit for bit the reference; labels as before. */
    @Test
    void halfOutputIsTheFloatBatchRounded() {
        int count = 12;
        byte[] images = randomImages(9, count);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (250 - i);
        }
        int[] perm = {5, 1, 11, 0, 7, 3};
        int[] crop = {0, 8, 4, 4, 8, 0, 3, 5};
        int[] flip = {1, 0, 0, 1};
        int batch = 4;
        for (StorageFormat fmt : new StorageFormat[] {StorageFormat.F16, StorageFormat.BF16}) {
            for (int size : new int[] {227, 32, 45}) {
                Batch f32 = reference(images, labels, perm, 1, batch, size, crop, flip);
                HalfBatch ref = runHalf(HostBufferMemory.launcher(), images, labels, perm, 1, batch, size, crop, flip,
                        fmt);
                HostKernelLauncher launcher = new HostKernelLauncher();
                HalfBatch kernel = runHalf(launcher, images, labels, perm, 1, batch, size, crop, flip, fmt);
                assertEquals(DataKernels.PREPARE_BATCH_HALF, launcher.launches.get(0).kernel());
                HalfValues.assertBitsEqual(ref.out(), kernel.out(), fmt + " size " + size);
                assertArrayEquals(ref.labels(), kernel.labels());
                assertArrayEquals(f32.labels(), ref.labels());
                HalfValues.assertBitsEqual(HalfValues.encode(fmt, f32.out()), ref.out(), fmt + " reference " + size);
            }
        }
    }

    record HalfBatch(short[] out, int[] labels) {
    }

    private static HalfBatch runHalf(KernelLauncher launcher, byte[] images, byte[] labels, int[] perm, int start,
                                     int batch, int size, int[] crop, int[] flip, StorageFormat fmt) {
        HostBuffer out = HostBuffer.zeros(2 * batch * 3 * size * size);
        HostBuffer labelsOut = HostBuffer.zeros(4 * batch);
        new DataKernels(launcher).prepareBatch(null, out, labelsOut, HostBuffer.bytes(images),
                HostBuffer.bytes(labels), labels.length, HostBuffer.ints(perm), HostBuffer.ints(start), batch, size,
                HostBuffer.ints(crop), HostBuffer.ints(flip), fmt);
        return new HalfBatch(out.shorts(), labelsOut.ints());
    }
}
