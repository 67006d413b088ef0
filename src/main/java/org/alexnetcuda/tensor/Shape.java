package org.alexnetcuda.tensor;

/**
 * A 4-D NCHW shape, as cuDNN describes tensors. Fully connected activations are (N, features, 1, 1),
 * so flatten is free: (N, 256, 6, 6) and (N, 9216, 1, 1) share one memory layout.
 */
public record Shape(int n, int c, int h, int w) {

    public Shape {
        if (n < 0 || c < 0 || h < 0 || w < 0) {
            throw new IllegalArgumentException("negative dimension in " + n + "x" + c + "x" + h + "x" + w);
        }
    }

    /** A (N, features, 1, 1) shape for a fully connected layer. */
    public static Shape vector(int n, int features) {
        return new Shape(n, features, 1, 1);
    }

    /** Elements of one sample: C*H*W. */
    public int sampleSize() {
        return c * h * w;
    }

    public long size() {
        return (long) n * c * h * w;
    }

    public Shape withBatch(int batch) {
        return new Shape(batch, c, h, w);
    }

    @Override
    public String toString() {
        return h == 1 && w == 1 ? "(" + n + "," + c + ")" : "(" + n + "," + c + "," + h + "," + w + ")";
    }
}
