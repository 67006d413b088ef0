package org.alexnetcuda.train;

import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.tensor.ParameterStore;

/**
 * A training run at one moment, in memory: the state (configuration, position, history), the weights and Adam's
 * state. {@link CheckpointFiles} writes and reads it.
 */
public record Checkpoint(CheckpointState state, ParameterStore weights, OptimizerState optimizer) {
}
