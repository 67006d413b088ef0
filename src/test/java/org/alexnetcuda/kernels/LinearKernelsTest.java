package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.alexnetcuda.engine.StorageFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * linear.cu in the host build against its Java reference (org.alexnetcuda.kernels.reference.LinearReference: one
 * float addition per row, row 0 first), bit for bit: the sum order is fixed.
 */
@ExtendWith(ScheduleReport.class)
class LinearKernelsTest {

    @ParameterizedTest
    @CsvSource({"64, 4096", "64, 10", "1, 1", "3, 257", "2, 1048583", "0, 5"})
    void biasGradientAccumulatesColumnSums(int rows, int cols) {
        SplittableRandom rnd = new SplittableRandom(rows * 7919L + cols);
        float[] dy = new float[rows * cols];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = (float) rnd.nextGaussian();
        }
        float[] db = new float[cols];
        for (int j = 0; j < cols; j++) {
            db[j] = (float) rnd.nextGaussian();  // gradients accumulate: start from non-zero values
        }
        HostBuffer dbBuffer = HostBuffer.floats(db);
        HostBuffer expected = dbBuffer.copy();
        HostKernelLauncher launcher = new HostKernelLauncher();
        new LinearKernels(launcher).biasGradAccumulate(null, dbBuffer, HostBuffer.floats(dy), rows, cols);
        new LinearKernels(HostBufferMemory.launcher()).biasGradAccumulate(null, expected, HostBuffer.floats(dy), rows,
                cols);
        ReluKernelsTest.assertBitsEqual(expected.floats(), dbBuffer.floats(), rows + "x" + cols);
        assertEquals(LaunchShape.elementwiseGrid(cols), launcher.launches.get(0).gridX());
    }

    @Test
    void smallCaseByHand() {
        // db = {1, 2, 3} plus the column sums of {{10, 20, 30}, {100, 200, 300}}.
        float[] expected = {111f, 222f, 333f};
        for (KernelLauncher launcher : new KernelLauncher[] {new HostKernelLauncher(), HostBufferMemory.launcher()}) {
            HostBuffer db = HostBuffer.floats(1f, 2f, 3f);
            new LinearKernels(launcher).biasGradAccumulate(null, db, HostBuffer.floats(10f, 20f, 30f, 100f, 200f, 300f),
                    2, 3);
            ReluKernelsTest.assertBitsEqual(expected, db.floats(), launcher.getClass().getSimpleName());
        }
    }

    /** The 16-bit kernel against the reference, and the reference against a float loop on widened values. */
    @ParameterizedTest
    @CsvSource({"F16, 64, 4096", "F16, 3, 257", "F16, 0, 5", "BF16, 64, 10", "BF16, 2, 1048583", "BF16, 1, 1"})
    void halfBiasGradient(StorageFormat fmt, int rows, int cols) {
        short[] dy = HalfValues.finite(rows * 31L + cols, rows * cols, fmt, 1.0);
        short[] db = HalfValues.finite(cols, cols, fmt, 1.0);
        if (rows * cols > 3) {
            dy[3] = fmt.encode(Float.NaN);  // a NaN reaches only its column
        }
        HostBuffer dbBuffer = HostBuffer.shorts(db);
        HostBuffer expected = dbBuffer.copy();
        HostKernelLauncher launcher = new HostKernelLauncher();
        new LinearKernels(launcher).biasGradAccumulate(null, dbBuffer, HostBuffer.shorts(dy), rows, cols, fmt);
        new LinearKernels(HostBufferMemory.launcher()).biasGradAccumulate(null, expected, HostBuffer.shorts(dy), rows,
                cols, fmt);
        HalfValues.assertBitsEqual(expected.shorts(), dbBuffer.shorts(), fmt + " " + rows + "x" + cols);
        assertEquals(LinearKernels.BIAS_GRAD_HALF, launcher.launches.get(0).kernel());
        float[] acc = HalfValues.decode(fmt, db);
        float[] g = HalfValues.decode(fmt, dy);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                acc[j] += g[i * cols + j];
            }
        }
        HalfValues.assertBitsEqual(HalfValues.encode(fmt, acc), expected.shorts(), fmt + " reference");
    }
}
