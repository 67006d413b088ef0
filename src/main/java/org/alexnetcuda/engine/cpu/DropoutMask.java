package org.alexnetcuda.engine.cpu;

/**
 * Which elements a dropout layer keeps: a pure, thread-safe function of the optimizer step and the flat element
 * index in the batch tensor. {@link Dropout} uses a Philox mask by default; tests can inject another one, e.g.
 * masks recorded from PyTorch.
 */
@FunctionalInterface
public interface DropoutMask {
    /** True if element {@code index} of the batch tensor is kept (and scaled) at optimizer step {@code step}. */
    boolean keep(long step, int index);
}
