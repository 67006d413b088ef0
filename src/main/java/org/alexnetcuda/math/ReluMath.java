package org.alexnetcuda.math;

/**
 * The arithmetic of ReLU, one element at a time: y = max(x, 0), dx = dy where y > 0, else 0 (the subgradient at 0
 * is 0, as in PyTorch). The one definition that the CPU engine's Relu layer and the reference of the GPU kernel
 * (kernels.reference.ReluReference) both run.
 */
public final class ReluMath {
    private ReluMath() {
    }

    /** One element of the forward pass: x <= 0 ? 0 : x. NaN <= 0 is false, so NaN passes through; -0 becomes +0. */
    public static float value(float x) {
        return x <= 0f ? 0f : x;
    }

    /** One element of the backward pass from the forward output y: y > 0 ? dy : 0 (0 for a NaN y). */
    public static float gradient(float y, float dy) {
        return y > 0f ? dy : 0f;
    }
}
