package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** linear.cu in the host build against the CPU engine's float loop, bit for bit (the sum order is fixed). */
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
        HostKernelLauncher launcher = new HostKernelLauncher();
        new LinearKernels(launcher).biasGradAccumulate(null, dbBuffer, HostBuffer.floats(dy), rows, cols);

        float[] expected = db.clone();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                expected[j] += dy[i * cols + j];
            }
        }
        ReluKernelsTest.assertBitsEqual(expected, dbBuffer.floats(), rows + "x" + cols);
        assertEquals(LaunchShape.elementwiseGrid(cols), launcher.launches.get(0).gridX());
    }
}
