package org.alexnetcuda.device.sim;

import org.alexnetcuda.device.Handles.ConvDesc;
import org.alexnetcuda.device.Handles.FilterDesc;
import org.alexnetcuda.device.Handles.LrnDesc;
import org.alexnetcuda.device.Handles.PoolDesc;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * The cuDNN descriptors of the simulator: what cudnnSet*Descriptor was given, already validated, and whether the
 * descriptor has been destroyed (using it afterwards is CUDNN_STATUS_BAD_PARAM). Each remembers its owner so that
 * a descriptor of another device is rejected.
 */
final class SimDescriptors {
    private SimDescriptors() {
    }

    /** Shared by all descriptors: owner and destroyed flag. */
    abstract static class Base {
        final SimDnn owner;
        boolean destroyed;

        Base(SimDnn owner) {
            this.owner = owner;
        }
    }

    /** " half" or " bfloat16" after a 16-bit descriptor's dims (nothing for FLOAT, as before 16-bit types). */
    private static String suffix(StorageFormat type) {
        return type == StorageFormat.F32 ? "" : " " + type.dtype();
    }

    /** A fully packed NCHW tensor of FLOAT, HALF or BFLOAT16 elements. */
    static final class Tensor4d extends Base implements TensorDesc {
        final int n;
        final int c;
        final int h;
        final int w;
        final StorageFormat type;

        Tensor4d(SimDnn owner, int n, int c, int h, int w, StorageFormat type) {
            super(owner);
            this.n = n;
            this.c = c;
            this.h = h;
            this.w = w;
            this.type = type;
        }

        /** Bytes of the fully packed tensor. */
        long bytes() {
            return count() * type.bytes();
        }

        long count() {
            return (long) n * c * h * w;
        }

        Shape shape() {
            return new Shape(n, c, h, w);
        }

        boolean sameDims(Tensor4d o) {
            return n == o.n && c == o.c && h == o.h && w == o.w;
        }

        boolean hasDims(int[] d) {
            return n == d[0] && c == d[1] && h == d[2] && w == d[3];
        }

        @Override
        public String toString() {
            return "tensor " + n + "x" + c + "x" + h + "x" + w + suffix(type);
        }
    }

    /** A KCRS filter of FLOAT, HALF or BFLOAT16 elements: k output channels, c input channels, r x s window. */
    static final class Filter4d extends Base implements FilterDesc {
        final int k;
        final int c;
        final int r;
        final int s;
        final StorageFormat type;

        Filter4d(SimDnn owner, int k, int c, int r, int s, StorageFormat type) {
            super(owner);
            this.k = k;
            this.c = c;
            this.r = r;
            this.s = s;
            this.type = type;
        }

        long bytes() {
            return count() * type.bytes();
        }

        long count() {
            return (long) k * c * r * s;
        }

        boolean sameDims(Filter4d o) {
            return k == o.k && c == o.c && r == o.r && s == o.s;
        }

        @Override
        public String toString() {
            return "filter " + k + "x" + c + "x" + r + "x" + s + suffix(type);
        }
    }

    /**
     * 2-D cross-correlation, dilation 1, compute type FLOAT; tensorOps (CUDNN_TENSOR_OP_MATH) is recorded only (the
     * simulator computes in FP32).
     */
    static final class Convolution extends Base implements ConvDesc {
        final int padH;
        final int padW;
        final int strideH;
        final int strideW;
        final boolean tensorOps;

        Convolution(SimDnn owner, int padH, int padW, int strideH, int strideW, boolean tensorOps) {
            super(owner);
            this.padH = padH;
            this.padW = padW;
            this.strideH = strideH;
            this.strideW = strideW;
            this.tensorOps = tensorOps;
        }

        @Override
        public String toString() {
            return "convolution pad " + padH + "x" + padW + " stride " + strideH + "x" + strideW + (tensorOps ? " tensor ops" : "");
        }
    }

    /** 2-D max pooling. */
    static final class MaxPool2d extends Base implements PoolDesc {
        final int windowH;
        final int windowW;
        final int padH;
        final int padW;
        final int strideH;
        final int strideW;

        MaxPool2d(SimDnn owner, int windowH, int windowW, int padH, int padW, int strideH, int strideW) {
            super(owner);
            this.windowH = windowH;
            this.windowW = windowW;
            this.padH = padH;
            this.padW = padW;
            this.strideH = strideH;
            this.strideW = strideW;
        }

        @Override
        public String toString() {
            return "max pooling " + windowH + "x" + windowW + " pad " + padH + "x" + padW + " stride " + strideH + "x"
                    + strideW;
        }
    }

    /** Cross-channel LRN. */
    static final class Lrn extends Base implements LrnDesc {
        final int n;
        final double alpha;
        final double beta;
        final double k;

        Lrn(SimDnn owner, int n, double alpha, double beta, double k) {
            super(owner);
            this.n = n;
            this.alpha = alpha;
            this.beta = beta;
            this.k = k;
        }

        @Override
        public String toString() {
            return "LRN n=" + n + " alpha=" + alpha + " beta=" + beta + " k=" + k;
        }
    }
}
