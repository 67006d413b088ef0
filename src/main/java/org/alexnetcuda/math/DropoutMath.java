package org.alexnetcuda.math;

/**
 * The arithmetic of inverted dropout, one element at a time, with the Philox mask that the GPU kernel reproduces bit
 * for bit: the one definition that the CPU engine's Dropout layer, the CUDA engine (for the layer keys) and the
 * reference of the GPU kernel (kernels.reference.DropoutReference) all run.
 *
 * <pre>
 *   key    = seed ^ (layerIndex * 0x9E3779B97F4A7C15L)      64-bit wrap-around product, then XOR
 *   keep_i = CounterRng.uniform(key, step, i) >= p          float comparison, i = flat index in the batch tensor
 *   y_i    = keep_i ? x_i * scale : 0                        scale = 1f / (1f - p), computed in float
 * </pre>
 * Multiplying by the odd constant (2^64 / golden ratio) is a bijection on 64-bit words, so different layers get
 * different Philox keys, hence unrelated streams, even for layer indices that differ in one bit.
 */
public final class DropoutMath {
    /** floor(2^64 / golden ratio), odd: the layer-index multiplier of the key. */
    public static final long LAYER_MIX = 0x9E3779B97F4A7C15L;

    private DropoutMath() {
    }

    /** The Philox key of a layer: seed ^ (layerIndex * LAYER_MIX). */
    public static long layerKey(long seed, int layerIndex) {
        return seed ^ (layerIndex * LAYER_MIX);
    }

    /**
     * Whether element {@code index} is kept at {@code step} under the layer key {@code key}:
     * CounterRng.uniform(key, step, index) >= p. An element whose uniform equals p is kept.
     */
    public static boolean philoxKeep(long key, long step, long index, float p) {
        return CounterRng.uniform(key, step, index) >= p;
    }

    /** The factor for kept elements, 1f / (1f - p) in float (infinite for p = 1, where nothing is kept). */
    public static float scale(float p) {
        return 1f / (1f - p);
    }

    /** One element: keep ? x * scale : 0. A dropped element is 0, not x * 0 (no NaN from an infinite x or scale). */
    public static float masked(float x, boolean keep, float scale) {
        return keep ? x * scale : 0f;
    }
}
