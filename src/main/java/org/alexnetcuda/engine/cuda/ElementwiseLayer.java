package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.tensor.Shape;

/**
 * A layer that maps each element of its input to one of its output (ReLU, dropout, flatten): no descriptors, no
 * workspace, and the same element count n x C x H x W in and out, so any batch size is prepared already.
 */
abstract class ElementwiseLayer implements CudaLayer {
    private final String name;
    final CudaContext ctx;
    private final int sampleSize;

    ElementwiseLayer(String name, CudaContext ctx, Shape shape) {
        this.name = name;
        this.ctx = ctx;
        this.sampleSize = shape.sampleSize();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long prepare(int n, long workspaceLimit) {
        return 0;
    }

    /** Elements of a batch of n. */
    final int elements(int n) {
        return n * sampleSize;
    }
}
