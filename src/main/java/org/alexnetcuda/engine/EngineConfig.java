package org.alexnetcuda.engine;

import java.util.Objects;

import org.alexnetcuda.tensor.Precision;

/**
 * Training hyper-parameters an engine needs beyond the network itself.
 *
 * @param learningRate  Adam's lr (the notebook: 1e-3)
 * @param weightDecay   L2 penalty added to the gradient, as torch.optim.Adam's weight_decay (0)
 * @param seed          seeds dropout masks and augmentation (and, outside the engine, init and shuffling)
 * @param augment       random crop (4-pixel padding) and horizontal flip before the resize
 * @param deterministic on the GPU, only deterministic cuDNN algorithms (bit-reproducible runs, usually slower);
 *                      the CPU engine is deterministic whatever this says
 * @param precision     the math of convolutions and GEMMs on the GPU; the CPU engine refuses anything but FP32
 */
public record EngineConfig(float learningRate, float weightDecay, long seed, boolean augment, boolean deterministic,
                           Precision precision) {

    public EngineConfig {
        Objects.requireNonNull(precision, "precision");
    }

    /** Strict FP32. */
    public EngineConfig(float learningRate, float weightDecay, long seed, boolean augment, boolean deterministic) {
        this(learningRate, weightDecay, seed, augment, deterministic, Precision.FP32);
    }

    /** A configuration without --deterministic (the fastest algorithms the GPU library picks), strict FP32. */
    public EngineConfig(float learningRate, float weightDecay, long seed, boolean augment) {
        this(learningRate, weightDecay, seed, augment, false);
    }

    /** The same configuration in another precision. */
    public EngineConfig withPrecision(Precision p) {
        return new EngineConfig(learningRate, weightDecay, seed, augment, deterministic, p);
    }
}
