package org.alexnetcuda.device.sim;

/**
 * The sizes of one convolution: input n x c x h x w, filter k x c x r x s, output n x k x ho x wo, with its
 * padding and strides. Built only from descriptors whose shapes agree (see SimDnn).
 */
record ConvGeometry(int n, int c, int h, int w, int k, int r, int s, int ho, int wo, int padH, int padW,
                    int strideH, int strideW) {

    /** Multiply-adds of one pass, times two: the FLOPs every pass of this convolution performs. */
    double flops() {
        return 2.0 * n * k * c * r * s * ho * wo;
    }

    /** Bytes of one sample's im2col matrix: (c * r * s) rows of (ho * wo) floats. */
    long colBytesPerSample() {
        return 4L * c * r * s * ho * wo;
    }

    int filterCount() {
        return k * c * r * s;
    }

    long filterBytes() {
        return 4L * filterCount();
    }

    /** Whether the CPU engine's Conv2d (square kernel, same padding and stride both ways) can run it. */
    boolean square() {
        return r == s && padH == padW && strideH == strideW;
    }
}
