package org.alexnetcuda.device;

/**
 * Opaque handles of the device API. Each implementation (JCuda, simulator) has its own classes behind them;
 * engine code only passes them back to the API that made them.
 */
public final class Handles {
    private Handles() {
    }

    /** CUstream. */
    public interface Stream {
    }

    /** CUevent. */
    public interface Event {
    }

    /** CUgraph: a captured sequence of work. */
    public interface Graph {
    }

    /** CUgraphExec: an instantiated graph that can be launched. */
    public interface GraphExec {
    }

    /** cudnnTensorDescriptor_t (4-D, NCHW, float). */
    public interface TensorDesc {
    }

    /** cudnnFilterDescriptor_t (4-D, KCRS = OIHW, float). */
    public interface FilterDesc {
    }

    /** cudnnConvolutionDescriptor_t (2-D cross-correlation, float compute). */
    public interface ConvDesc {
    }

    /** cudnnPoolingDescriptor_t (2-D max pooling). */
    public interface PoolDesc {
    }

    /** cudnnLRNDescriptor_t (cross-channel). */
    public interface LrnDesc {
    }
}
