package org.alexnetcuda.model;

import java.util.SplittableRandom;

import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;

/**
 * The notebook's init: Xavier-uniform weights, U(-b, b) with b = sqrt(6 / (fan_in + fan_out)) where the fans
 * include the kernel area (as torch.nn.init.xavier_uniform_ computes them), and zero biases.
 * Each parameter draws from its own stream, seeded from (seed, parameter index), so init does not depend on
 * thread scheduling or on which other parameters exist.
 */
public final class XavierInit {
    private XavierInit() {
    }

    public static double bound(int fanIn, int fanOut) {
        return Math.sqrt(6.0 / (fanIn + fanOut));
    }

    public static void initialize(NetworkSpec spec, ParameterStore store, long seed) {
        var specs = spec.parameters();
        for (int i = 0; i < specs.size(); i++) {
            NetworkSpec.ParamSpec ps = specs.get(i);
            Parameter p = store.get(ps.name());
            if (ps.isBias()) {
                java.util.Arrays.fill(store.values, p.offset(), p.offset() + p.size(), 0f);
                continue;
            }
            double b = bound(ps.fanIn(), ps.fanOut());
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            for (int j = p.offset(), end = p.offset() + p.size(); j < end; j++) {
                store.values[j] = (float) ((rnd.nextDouble() * 2 - 1) * b);
            }
        }
    }
}
