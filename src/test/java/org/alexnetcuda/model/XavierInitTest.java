package org.alexnetcuda.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;
import org.junit.jupiter.api.Test;

class XavierInitTest {
    private static final NetworkSpec NET = AlexNet.build(ModelConfig.NOTEBOOK);

    @Test
    void weightsAreUniformWithinTheXavierBoundAndBiasesZero() {
        ParameterStore s = NET.newParameterStore();
        long seed = System.nanoTime();
        XavierInit.initialize(NET, s, seed);
        for (NetworkSpec.ParamSpec ps : NET.parameters()) {
            Parameter p = s.get(ps.name());
            float[] v = Arrays.copyOfRange(s.values, p.offset(), p.offset() + p.size());
            if (ps.isBias()) {
                for (float x : v) {
                    assertEquals(0f, x);
                }
                continue;
            }
            double b = XavierInit.bound(ps.fanIn(), ps.fanOut());
            double sum = 0;
            double sq = 0;
            for (float x : v) {
                // The float of a double inside the bound can round past it by half an ulp at most.
                assertTrue(Math.abs(x) <= b * (1 + 1e-7), ps.name() + " value " + x + " outside bound " + b + " (seed " + seed + ")");
                sum += x;
                sq += (double) x * x;
            }
            int n = v.length;
            // U(-b, b): mean 0, variance b^2/3; tolerances of several standard errors.
            double mean = sum / n;
            double var = sq / n - mean * mean;
            assertTrue(Math.abs(mean) < 6 * b / Math.sqrt(3 * n), ps.name() + " mean " + mean + " (seed " + seed + ")");
            assertEquals(b * b / 3, var, 6 * b * b / Math.sqrt(n) + 1e-12, ps.name() + " variance (seed " + seed + ")");
        }
    }

    @Test
    void conv1BoundIncludesTheKernelArea() {
        // fan_in = 3*11*11 = 363, fan_out = 96*11*11 = 11616: bound sqrt(6/11979).
        NetworkSpec.ParamSpec conv1 = NET.parameters().get(0);
        assertEquals(Math.sqrt(6.0 / 11979), XavierInit.bound(conv1.fanIn(), conv1.fanOut()), 1e-15);
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        NetworkSpec small = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f), new AlexNet.Widths(4, 8, 8, 8, 8, 16));
        ParameterStore a = small.newParameterStore();
        ParameterStore b = small.newParameterStore();
        ParameterStore c = small.newParameterStore();
        XavierInit.initialize(small, a, 7);
        XavierInit.initialize(small, b, 7);
        XavierInit.initialize(small, c, 8);
        assertArrayEquals(a.values, b.values);
        assertFalse(Arrays.equals(a.values, c.values));
    }
}
