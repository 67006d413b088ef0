package org.alexnetcuda.engine.cpu;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * A layer of the CPU reference engine, in Caffe's setup/forward/backward form, on float NCHW tensors.
 * Layers hold no per-batch state: backward recomputes what it needs (pooling argmax, LRN scale, dropout mask)
 * from x and y, so any batch size works and a layer can be called for several batches in any order.
 */
public interface CpuLayer {

    /** The layer's name, e.g. {@code conv1} or {@code pool5}. */
    String name();

    /** The output shape for an input of this shape; rejects shapes the layer cannot take. */
    Shape outputShape(Shape input);

    /** y = f(x). y has {@link #outputShape}(x.shape) and is overwritten. */
    void forward(Tensor x, Tensor y, Pass pass);

    /**
     * Given x, y = f(x) and dL/dy: overwrites dx with dL/dx (skipped when dx is null, for the first layer) and
     * accumulates (+=) the parameter gradients into the store's grads. Must be called with the same pass as forward.
     */
    void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Pass pass);
}
