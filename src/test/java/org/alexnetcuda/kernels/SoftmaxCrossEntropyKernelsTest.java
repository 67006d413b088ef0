package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * loss.cu in the host build (its block reductions run on the shim's barrier-exact coroutines) against an in-test
 * reference with the arithmetic of org.alexnetcuda.engine.cpu.SoftmaxCrossEntropy (branch `layers`: double
 * internally, float gradient). Only the order of the sum over classes and the last ulp of exp/log differ, so
 * losses agree to ~1e-15 and gradients to within one float ulp (almost always exactly); predictions exactly.
 *
 * <p>TODO(after merging `layers`): run SoftmaxCrossEntropy.compute itself as the reference.
 */
class SoftmaxCrossEntropyKernelsTest {

    record Expected(double[] loss, int[] correct, float[] grad) {
    }

    static Expected reference(float[] z, int[] labels, int n, int classes) {
        double[] loss = new double[n];
        int[] correct = new int[n];
        float[] grad = new float[n * classes];
        for (int s = 0; s < n; s++) {
            int base = s * classes;
            int arg = 0;
            float max = z[base];
            for (int j = 1; j < classes; j++) {
                if (z[base + j] > max) {
                    max = z[base + j];
                    arg = j;  // strict: ties keep the first
                }
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += Math.exp((double) z[base + j] - max);
            }
            double lse = max + Math.log(sum);
            loss[s] = lse - z[base + labels[s]];
            correct[s] = arg == labels[s] ? 1 : 0;
            for (int j = 0; j < classes; j++) {
                double p = Math.exp((double) z[base + j] - lse);
                grad[base + j] = (float) ((j == labels[s] ? p - 1 : p) / n);
            }
        }
        return new Expected(loss, correct, grad);
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

    // 64 x 10: CIFAR-10 at batch 64; 1000 classes spans several strides of the 128-thread block; 100 logits of
    // scale 30 test the max subtraction (exp(30 * 4) overflows float without it).
    @ParameterizedTest
    @CsvSource({"64, 10, 3", "1, 10, 1", "37, 10, 5", "5, 1000, 2", "3, 129, 1", "16, 100, 30", "2, 1, 1"})
    void matchesTheReference(int n, int classes, double scale) {
        float[] z = logits(n * 31L + classes, n, classes, scale);
        int[] lab = labels(n, n, classes);
        Expected e = reference(z, lab, n, classes);

        HostKernelLauncher launcher = new HostKernelLauncher();
        SoftmaxCrossEntropyKernels k = new SoftmaxCrossEntropyKernels(launcher);
        HostBuffer dlogits = HostBuffer.zeros(4 * n * classes);
        HostBuffer loss = HostBuffer.zeros(8 * n);
        HostBuffer correct = HostBuffer.zeros(4 * n);
        k.forwardBackward(null, dlogits, loss, correct, HostBuffer.floats(z), HostBuffer.ints(lab), n, classes);

        double[] l = loss.doubles();
        for (int s = 0; s < n; s++) {
            assertEquals(e.loss[s], l[s], 1e-14 * Math.max(1, Math.abs(e.loss[s])), "loss of sample " + s);
        }
        assertArrayEquals(e.correct, correct.ints(), "correct predictions");
        float[] g = dlogits.floats();
        int exact = 0;
        for (int i = 0; i < g.length; i++) {
            assertEquals(e.grad[i], g[i], Math.ulp(e.grad[i]), "dlogits[" + i + "]");
            exact += e.grad[i] == g[i] ? 1 : 0;
        }
        assertTrue(exact >= g.length - Math.max(1, g.length / 100), exact + " of " + g.length + " gradients bit-identical");
        HostKernelLauncher.Launch launch = launcher.launches.get(0);
        assertEquals(Math.min(n, SoftmaxCrossEntropyKernels.MAX_GRID), launch.gridX());
        assertEquals(SoftmaxCrossEntropyKernels.SAMPLE_BLOCK, launch.blockX());
    }

    @Test
    void confusionCountsEachSampleAtItsLabelAndArgmax() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom();
        int n = 77;
        int classes = 10;
        float[] z = new float[n * classes];
        int[] lab = new int[n];
        double[] expected = new double[classes * classes];
        for (int s = 0; s < n; s++) {
            lab[s] = rnd.nextInt(classes);
            int best = 0;
            for (int j = 0; j < classes; j++) {
                z[s * classes + j] = (float) rnd.nextGaussian();
                if (z[s * classes + j] > z[s * classes + best]) {
                    best = j;
                }
            }
            expected[lab[s] * classes + best] += 1;
        }
        // Counts add to what is there: start from a matrix holding earlier batches.
        double[] start = new double[classes * classes];
        for (int i = 0; i < start.length; i++) {
            start[i] = rnd.nextInt(5);
            expected[i] += start[i];
        }
        HostBuffer confusion = HostBuffer.doubles(start);
        new SoftmaxCrossEntropyKernels(new HostKernelLauncher()).confusion(null, confusion, HostBuffer.floats(z),
                HostBuffer.ints(lab), n, classes);
        assertArrayEquals(expected, confusion.doubles());
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
        HostBuffer correct = HostBuffer.zeros(12);
        new SoftmaxCrossEntropyKernels(new HostKernelLauncher()).forwardBackward(null, null, HostBuffer.zeros(24),
                correct, HostBuffer.floats(z), HostBuffer.ints(lab), 3, classes);
        assertArrayEquals(new int[] {1, 0, 1}, correct.ints());
    }

    @Test
    void totalsAccumulateOverBatchesInDouble() {
        int classes = 10;
        HostKernelLauncher launcher = new HostKernelLauncher();
        SoftmaxCrossEntropyKernels k = new SoftmaxCrossEntropyKernels(launcher);
        HostBuffer totals = HostBuffer.doubles(new double[SoftmaxCrossEntropyKernels.TOTALS]);
        double lossSum = 0;
        double meanSum = 0;
        int correctSum = 0;
        int samples = 0;
        int[] batches = {64, 64, 16};  // a partial last batch
        for (int b = 0; b < batches.length; b++) {
            int n = batches[b];
            float[] z = logits(100 + b, n, classes, 2);
            int[] lab = labels(200 + b, n, classes);
            HostBuffer loss = HostBuffer.zeros(8 * n);
            HostBuffer correct = HostBuffer.zeros(4 * n);
            // Evaluation form: no gradient buffer.
            k.forwardBackward(null, null, loss, correct, HostBuffer.floats(z), HostBuffer.ints(lab), n, classes);
            k.accumulate(null, totals, loss, correct, n);
            double batchSum = 0;
            for (double v : loss.doubles()) {
                batchSum += v;
            }
            for (int c : correct.ints()) {
                correctSum += c;
            }
            lossSum += batchSum;
            meanSum += batchSum / n;
            samples += n;
            Expected e = reference(z, lab, n, classes);
            assertArrayEquals(e.correct, correct.ints());
        }
        double[] t = totals.doubles();
        assertEquals(lossSum, t[SoftmaxCrossEntropyKernels.LOSS_SUM], 1e-13 * lossSum);
        assertEquals(correctSum, t[SoftmaxCrossEntropyKernels.CORRECT], 0.0);
        assertEquals(samples, t[SoftmaxCrossEntropyKernels.SAMPLES], 0.0);
        assertEquals(meanSum, t[SoftmaxCrossEntropyKernels.BATCH_MEAN_SUM], 1e-12 * meanSum);
        assertEquals(batches.length, t[SoftmaxCrossEntropyKernels.BATCHES], 0.0);
        HostKernelLauncher.Launch acc = launcher.launches.get(1);
        assertEquals(1, acc.gridX());
        assertEquals(SoftmaxCrossEntropyKernels.ACCUMULATE_BLOCK, acc.blockX());
    }

    @Test
    void aBlockThatIsNotAPowerOfTwoTraps() {
        // The kernel's KERNEL_REQUIRE stops a launch its tree reduction cannot handle (the GPU would __trap()).
        HostKernelLauncher launcher = new HostKernelLauncher();
        HostKernelLauncher.KernelFailure f = assertThrows(HostKernelLauncher.KernelFailure.class,
                () -> launcher.launch(SoftmaxCrossEntropyKernels.FORWARD_BACKWARD, 1, 96, 0, null, null,
                        HostBuffer.zeros(8), HostBuffer.zeros(4), HostBuffer.zeros(40), HostBuffer.ints(0), 1, 10));
        assertTrue(f.getMessage().contains("kernel trap"), f.getMessage());
    }
}
