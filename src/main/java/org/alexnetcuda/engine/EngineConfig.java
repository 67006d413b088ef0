package org.alexnetcuda.engine;

/**
 * Training hyper-parameters an engine needs beyond the network itself.
 *
 * @param learningRate Adam's lr (the notebook: 1e-3)
 * @param weightDecay  L2 penalty added to the gradient, as torch.optim.Adam's weight_decay (0)
 * @param seed         seeds dropout masks and augmentation (and, outside the engine, init and shuffling)
 * @param augment      random crop (4-pixel padding) and horizontal flip before the resize
 */
public record EngineConfig(float learningRate, float weightDecay, long seed, boolean augment) {
}
