package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.alexnetcuda.engine.Shape;
import org.alexnetcuda.engine.Tensor;
import org.alexnetcuda.engine.cpu.SoftmaxCrossEntropy;
import org.alexnetcuda.kernels.reference.KernelTrapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * loss.cu in the host build (its block reductions run on the shim's barrier-exact coroutines) against its Java
 * reference (org.alexnetcuda.kernels.reference.LossReference, which runs org.alexnetcuda.engine.cpu.
 * SoftmaxCrossEntropy's per-sample arithmetic: double internally, float gradient). Only the order of the sums (a
 * tree in the kernels) and the last ulp of exp/log differ, so losses agree to ~1e-15 and gradients to within one
 * float ulp (almost always exactly); predictions and counts exactly. The reference is also checked against
 * SoftmaxCrossEntropy.compute itself.
 */
@ExtendWith(ScheduleReport.class)
class SoftmaxCrossEntropyKernelsTest {

    /** What softmax_xent_forward_backward wrote; grad is null in the evaluation form. */
    record Outputs(double[] loss, int[] correct, float[] grad) {
    }

    static Outputs forwardBackward(KernelLauncher launcher, float[] z, int[] labels, int n, int classes,
                                   boolean withGradient) {
        HostBuffer dlogits = withGradient ? HostBuffer.zeros(4 * n * classes) : null;
        HostBuffer loss = HostBuffer.zeros(8 * n);
        HostBuffer correct = HostBuffer.zeros(4 * n);
        new SoftmaxCrossEntropyKernels(launcher).forwardBackward(null, dlogits, loss, correct, HostBuffer.floats(z),
                HostBuffer.ints(labels), n, classes);
        return new Outputs(loss.doubles(), correct.ints(), withGradient ? dlogits.floats() : null);
    }

    static Outputs reference(float[] z, int[] labels, int n, int classes) {
        return forwardBackward(HostBufferMemory.launcher(), z, labels, n, classes, true);
    }

    static float[] logits(long seed, int n, int classes, double scale) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] z = new float[n * classes];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (rnd.nextGaussian() * scale);
        }
        return z;
    }

    static int[] labels(long seed, int n, int classes) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = rnd.nextInt(classes);
        }
        return l;
    }

    /** Kernel outputs e (reference) and k agree: losses to 1e-14 relative, predictions exactly, gradients to an ulp. */
    static void assertAgree(Outputs e, Outputs k, boolean mostlyExact) {
        for (int s = 0; s < e.loss.length; s++) {
            // NaN must meet NaN exactly (JUnit refuses a NaN tolerance).
            double tolerance = Double.isNaN(e.loss[s]) ? 0 : 1e-14 * Math.max(1, Math.abs(e.loss[s]));
            assertEquals(e.loss[s], k.loss[s], tolerance, "loss of sample " + s);
        }
        assertArrayEquals(e.correct, k.correct, "correct predictions");
        if (e.grad == null || k.grad == null) {
            return;
        }
        int exact = 0;
        for (int i = 0; i < e.grad.length; i++) {
            assertEquals(e.grad[i], k.grad[i], Float.isNaN(e.grad[i]) ? 0f : Math.ulp(e.grad[i]), "dlogits[" + i + "]");
            exact += Float.compare(e.grad[i], k.grad[i]) == 0 ? 1 : 0;
        }
        if (mostlyExact) {
            assertTrue(exact >= e.grad.length - Math.max(1, e.grad.length / 100),
                    exact + " of " + e.grad.length + " gradients bit-identical");
        }
    }

    // 64 x 10: CIFAR-10 at batch 64; 1000 classes spans several strides of the 128-thread block; 100 logits of
    // scale 30 test the max subtraction (exp(30 * 4) overflows float without it).
    @ParameterizedTest
    @CsvSource({"64, 10, 3", "1, 10, 1", "37, 10, 5", "5, 1000, 2", "3, 129, 1", "16, 100, 30", "2, 1, 1"})
    void matchesTheReference(int n, int classes, double scale) {
        float[] z = logits(n * 31L + classes, n, classes, scale);
        int[] lab = labels(n, n, classes);
        Outputs e = reference(z, lab, n, classes);

        HostKernelLauncher launcher = new HostKernelLauncher();
        assertAgree(e, forwardBackward(launcher, z, lab, n, classes, true), true);
        HostKernelLauncher.Launch launch = launcher.launches.get(0);
        assertEquals(Math.min(n, SoftmaxCrossEntropyKernels.MAX_GRID), launch.gridX());
        assertEquals(SoftmaxCrossEntropyKernels.SAMPLE_BLOCK, launch.blockX());

        // The reference is SoftmaxCrossEntropy.compute: the same gradient bit for bit, the same sum and count.
        Shape shape = Shape.vector(n, classes);
        Tensor d = new Tensor(shape);
        SoftmaxCrossEntropy.Result cpu = SoftmaxCrossEntropy.compute(new Tensor(shape, z.clone()), lab, d);
        ReluKernelsTest.assertBitsEqual(d.data, e.grad, "reference vs SoftmaxCrossEntropy gradient");
        double sum = 0;
        int correct = 0;
        for (int s = 0; s < n; s++) {
            sum += e.loss[s];
            correct += e.correct[s];
        }
        assertEquals(cpu.lossSum(), sum, 0.0, "loss sum");
        assertEquals(cpu.correct(), correct, "correct");
    }

    /**
     * One prediction rule everywhere, torch.argmax's (checked with torch 1.13: argmax([1, nan, 3]) = 1, argmax([nan,
     * nan]) = 0, argmax([inf, nan]) = 1, ties to the first): NaN above every number. The loss kernel, the confusion
     * kernel, their references and the CPU engine's argmax agree on rows written to probe the rule and on random rows
     * sprinkled with NaN and infinities. Each row's label is the expected prediction, so the loss kernel must count
     * every sample correct and the confusion kernel must put every count on the diagonal.
     */
    @Test
    void nanAndInfiniteLogitsPredictAsTorchArgmaxInBothKernels() {
        int classes = 10;
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        float[][] rows = {
            {nan, 1, 2, 9, 3, 0, 0, 0, 0, 0},      // NaN first: 0
            {0, 1, nan, 9, 3, 0, 0, 9, nan, 0},    // the first NaN: 2
            {nan, nan, nan, nan, nan, nan, nan, nan, nan, nan},  // 0
            {-inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf, -inf},  // the first -inf: 0
            {inf, 0, 0, 0, 0, 0, 0, 0, 0, nan},    // NaN above +inf: 9
            {1, 2, 3, 9, 5, 6, 7, 8, 9, 1},        // a tie at 9: 3
        };
        int[] expected = {0, 2, 0, 0, 9, 3};
        SplittableRandom rnd = new SplittableRandom(41);
        int n = 300;
        float[] z = new float[n * classes];
        int[] lab = new int[n];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < classes; j++) {
                float v = rnd.nextInt(6) - 2;  // small integers, so that ties occur
                int special = rnd.nextInt(40);
                z[s * classes + j] = special == 0 ? nan : special == 1 ? inf : special == 2 ? -inf : v;
            }
            if (s < rows.length) {
                System.arraycopy(rows[s], 0, z, s * classes, classes);
                lab[s] = expected[s];
                assertEquals(expected[s], SoftmaxCrossEntropy.argmax(z, s * classes, classes), "CPU argmax, row " + s);
            } else {
                lab[s] = SoftmaxCrossEntropy.argmax(z, s * classes, classes);
            }
        }
        int[] allCorrect = new int[n];
        Arrays.fill(allCorrect, 1);
        assertArrayEquals(allCorrect, reference(z, lab, n, classes).correct(), "loss reference");
        assertArrayEquals(allCorrect, forwardBackward(new HostKernelLauncher(), z, lab, n, classes, true).correct(),
                "loss kernel");
        for (KernelLauncher launcher : new KernelLauncher[] {new HostKernelLauncher(), HostBufferMemory.launcher()}) {
            HostBuffer confusion = HostBuffer.zeros(8 * classes * classes);
            new SoftmaxCrossEntropyKernels(launcher).confusion(null, confusion, HostBuffer.floats(z),
                    HostBuffer.ints(lab), n, classes);
            double diagonal = 0;
            for (int c = 0; c < classes; c++) {
                diagonal += confusion.doubles()[c * classes + c];
            }
            assertEquals(n, diagonal, 0.0, "confusion counts on the diagonal, " + launcher.getClass().getSimpleName());
        }
    }

    /** Both kernels trap on a label outside [0, classes), as the CPU engine refuses one: one rule for labels. */
    @ParameterizedTest
    @CsvSource({"-1", "10", "2147483647"})
    void bothKernelsTrapOnALabelOutsideTheClasses(int bad) {
        HostKernelRunner.path();  // skips here, not inside assertThrows, where the host build is unavailable
        int classes = 10;
        float[] z = logits(9, 3, classes, 1);
        int[] lab = {3, bad, 1};
        for (KernelLauncher launcher : new KernelLauncher[] {new HostKernelLauncher(), HostBufferMemory.launcher()}) {
            RuntimeException loss = assertThrows(RuntimeException.class,
                    () -> forwardBackward(launcher, z, lab, 3, classes, true));
            assertTrue(loss.getMessage().contains("kernel trap") && loss.getMessage().contains("label"),
                    loss.getMessage());
            RuntimeException confusion = assertThrows(RuntimeException.class,
                    () -> new SoftmaxCrossEntropyKernels(launcher).confusion(null, HostBuffer.zeros(800),
                            HostBuffer.floats(z), HostBuffer.ints(lab), 3, classes));
            assertTrue(confusion.getMessage().contains("kernel trap") && confusion.getMessage().contains("label"),
                    confusion.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.compute(
                new Tensor(Shape.vector(3, classes), z.clone()), lab, null), "the CPU engine refuses it too");
    }

    @Test
    void confusionCountsEachSampleAtItsLabelAndArgmax() {
        SplittableRandom rnd = new SplittableRandom(8);
        int n = 77;
        int classes = 10;
        float[] z = new float[n * classes];
        int[] lab = new int[n];
        for (int s = 0; s < n; s++) {
            lab[s] = rnd.nextInt(classes);
            for (int j = 0; j < classes; j++) {
                // Coarse values, so that ties (to the first class) occur.
                z[s * classes + j] = rnd.nextInt(8);
            }
        }
        // Counts add to what is there: start from a matrix holding earlier batches.
        double[] start = new double[classes * classes];
        for (int i = 0; i < start.length; i++) {
            start[i] = rnd.nextInt(5);
        }
        HostBuffer confusion = HostBuffer.doubles(start);
        HostBuffer expected = confusion.copy();
        new SoftmaxCrossEntropyKernels(new HostKernelLauncher()).confusion(null, confusion, HostBuffer.floats(z),
                HostBuffer.ints(lab), n, classes);
        new SoftmaxCrossEntropyKernels(HostBufferMemory.launcher()).confusion(null, expected, HostBuffer.floats(z),
                HostBuffer.ints(lab), n, classes);
        assertArrayEquals(expected.doubles(), confusion.doubles());
        double added = 0;
        for (int i = 0; i < start.length; i++) {
            added += confusion.doubles()[i] - start[i];
        }
        assertEquals(n, added, 0.0, "one count per sample");
    }

    @Test
    void argmaxTiesGoToTheFirstClass() {
        int classes = 10;
        float[] z = new float[3 * classes];
        // sample 0: classes 3 and 7 tie at the max; label 3 is correct.
        z[3] = 5f;
        z[7] = 5f;
        // sample 1: same tie, label 7 is wrong (argmax is 3).
        z[classes + 3] = 5f;
        z[classes + 7] = 5f;
        // sample 2: all equal: argmax is class 0.
        int[] lab = {3, 7, 0};
        assertArrayEquals(new int[] {1, 0, 1},
                forwardBackward(new HostKernelLauncher(), z, lab, 3, classes, false).correct());
        assertArrayEquals(new int[] {1, 0, 1}, reference(z, lab, 3, classes).correct(), "reference");
    }

    @Test
    void totalsAccumulateOverBatchesInDouble() {
        int classes = 10;
        HostKernelLauncher launcher = new HostKernelLauncher();
        SoftmaxCrossEntropyKernels k = new SoftmaxCrossEntropyKernels(launcher);
        SoftmaxCrossEntropyKernels r = new SoftmaxCrossEntropyKernels(HostBufferMemory.launcher());
        HostBuffer totals = HostBuffer.doubles(new double[SoftmaxCrossEntropyKernels.TOTALS]);
        HostBuffer expected = totals.copy();
        int[] batches = {64, 64, 16};  // a partial last batch
        for (int b = 0; b < batches.length; b++) {
            int n = batches[b];
            float[] z = logits(100 + b, n, classes, 2);
            int[] lab = labels(200 + b, n, classes);
            HostBuffer loss = HostBuffer.zeros(8 * n);
            HostBuffer correct = HostBuffer.zeros(4 * n);
            // Evaluation form: no gradient buffer.
            k.forwardBackward(null, null, loss, correct, HostBuffer.floats(z), HostBuffer.ints(lab), n, classes);
            HostBuffer refLoss = HostBuffer.zeros(8 * n);
            HostBuffer refCorrect = HostBuffer.zeros(4 * n);
            r.forwardBackward(null, null, refLoss, refCorrect, HostBuffer.floats(z), HostBuffer.ints(lab), n, classes);
            assertAgree(new Outputs(refLoss.doubles(), refCorrect.ints(), null),
                    new Outputs(loss.doubles(), correct.ints(), null), false);
            // Both accumulate the kernel's per-sample values, so only the accumulation itself is compared.
            k.accumulate(null, totals, loss, correct, n);
            r.accumulate(null, expected, loss, correct, n);
        }
        double[] e = expected.doubles();
        double[] t = totals.doubles();
        assertEquals(e[SoftmaxCrossEntropyKernels.LOSS_SUM], t[SoftmaxCrossEntropyKernels.LOSS_SUM],
                1e-13 * e[SoftmaxCrossEntropyKernels.LOSS_SUM]);
        assertEquals(e[SoftmaxCrossEntropyKernels.CORRECT], t[SoftmaxCrossEntropyKernels.CORRECT], 0.0);
        assertEquals(144, t[SoftmaxCrossEntropyKernels.SAMPLES], 0.0);
        assertEquals(e[SoftmaxCrossEntropyKernels.SAMPLES], t[SoftmaxCrossEntropyKernels.SAMPLES], 0.0);
        assertEquals(e[SoftmaxCrossEntropyKernels.BATCH_MEAN_SUM], t[SoftmaxCrossEntropyKernels.BATCH_MEAN_SUM],
                1e-12 * e[SoftmaxCrossEntropyKernels.BATCH_MEAN_SUM]);
        assertEquals(batches.length, t[SoftmaxCrossEntropyKernels.BATCHES], 0.0);
        assertEquals(batches.length, e[SoftmaxCrossEntropyKernels.BATCHES], 0.0);
        HostKernelLauncher.Launch acc = launcher.launches.get(1);
        assertEquals(1, acc.gridX());
        assertEquals(SoftmaxCrossEntropyKernels.ACCUMULATE_BLOCK, acc.blockX());
    }

    @Test
    void aBlockThatIsNotAPowerOfTwoTraps() {
        HostKernelRunner.path();  // skips here, not inside assertThrows, where the host build is unavailable
        // The kernel's KERNEL_REQUIRE stops a launch its tree reduction cannot handle (the GPU would __trap()).
        HostKernelLauncher launcher = new HostKernelLauncher();
        HostKernelLauncher.KernelFailure f = assertThrows(HostKernelLauncher.KernelFailure.class,
                () -> launcher.launch(SoftmaxCrossEntropyKernels.FORWARD_BACKWARD, 1, 96, 0, null, null,
                        HostBuffer.zeros(8), HostBuffer.zeros(4), HostBuffer.zeros(40), HostBuffer.ints(0), 1, 10));
        assertTrue(f.getMessage().contains("kernel trap"), f.getMessage());
        // The reference launcher checks the same requirement.
        KernelTrapException t = assertThrows(KernelTrapException.class,
                () -> HostBufferMemory.launcher().launch(SoftmaxCrossEntropyKernels.FORWARD_BACKWARD, 1, 96, 0, null,
                        null, HostBuffer.zeros(8), HostBuffer.zeros(4), HostBuffer.zeros(40), HostBuffer.ints(0), 1,
                        10));
        assertTrue(t.getMessage().contains("kernel trap"), t.getMessage());
    }
}
