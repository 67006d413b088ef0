package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.DevicePtr;

/**
 * A layer of the CUDA engine, in the same setup/forward/backward form as the CPU engine's CpuLayer, on device
 * pointers to float NCHW tensors. Shapes are fixed per batch size by {@link #prepare}, which runs on the host
 * before any step (descriptors, algorithm choice) so that forward and backward only enqueue work on the stream
 * and can be captured into a CUDA graph.
 */
interface CudaLayer extends AutoCloseable {

    String name();

    /**
     * Creates what a batch of n needs (descriptors, algorithm choices within {@code workspaceLimit} bytes) and
     * returns the cuDNN workspace bytes it will use. Called once per batch size, outside capture.
     */
    long prepare(int n, long workspaceLimit);

    /** y = f(x) for a batch of n. */
    void forward(int n, DevicePtr x, DevicePtr y, boolean training);

    /**
     * dx = df/dx^T dy (skipped when dx is null), parameter gradients accumulated into the gradient block
     * (which the engine zeroes at the start of each step).
     */
    void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx);

    @Override
    default void close() {
    }
}
