package org.alexnetcuda.device.jcuda;

import org.alexnetcuda.device.Handles;
import org.alexnetcuda.tensor.StorageFormat;

import jcuda.driver.CUevent;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstream;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnLRNDescriptor;
import jcuda.jcudnn.cudnnPoolingDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;

/**
 * The JCuda objects behind the device API's opaque handles. Public, with {@link #cu(Handles.Stream)}, so that
 * other JCuda code of the engine (the kernel launcher) can reach the CUstream of a stream this device made.
 */
public final class JCudaHandles {
    private JCudaHandles() {
    }

    /** A CUstream. */
    public record Stream(CUstream cu) implements Handles.Stream {
    }

    record Event(CUevent cu) implements Handles.Event {
    }

    record Graph(CUgraph cu) implements Handles.Graph {
    }

    record GraphExec(CUgraphExec cu) implements Handles.GraphExec {
    }

    /** A tensor descriptor and the shape and type it was set to (for error messages). */
    record TensorDesc(cudnnTensorDescriptor cu, int n, int c, int h, int w, StorageFormat type)
            implements Handles.TensorDesc {
        @Override
        public String toString() {
            return n + "x" + c + "x" + h + "x" + w + (type == StorageFormat.F32 ? "" : " " + type.dtype());
        }
    }

    record FilterDesc(cudnnFilterDescriptor cu, int k, int c, int h, int w, StorageFormat type)
            implements Handles.FilterDesc {
        @Override
        public String toString() {
            return "filter " + k + "x" + c + "x" + h + "x" + w + (type == StorageFormat.F32 ? "" : " " + type.dtype());
        }
    }

    record ConvDesc(cudnnConvolutionDescriptor cu, String text) implements Handles.ConvDesc {
        @Override
        public String toString() {
            return text;
        }
    }

    record PoolDesc(cudnnPoolingDescriptor cu, String text) implements Handles.PoolDesc {
        @Override
        public String toString() {
            return text;
        }
    }

    record LrnDesc(cudnnLRNDescriptor cu, String text) implements Handles.LrnDesc {
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * The CUstream behind a stream handle; null stands for the legacy default stream (a CUstream whose native
     * value is 0: some JCuda calls, e.g. cuGraphLaunch, throw NullPointerException on a Java null).
     */
    public static CUstream cu(Handles.Stream stream) {
        if (stream == null) {
            return new CUstream();
        }
        return as(Stream.class, stream).cu();
    }

    /** The JCuda class behind a handle, or a clear error for a handle some other device made. */
    static <T> T as(Class<T> type, Object handle) {
        if (!type.isInstance(handle)) {
            throw new IllegalArgumentException("expected a " + type.getSimpleName() + " made by this JCuda device, got "
                    + (handle == null ? "null" : handle.getClass().getName()));
        }
        return type.cast(handle);
    }
}
