package org.alexnetcuda.tensor;

/** A float NCHW tensor on the host: a shape and a row-major array of exactly shape.size() elements. */
public final class Tensor {
    public final Shape shape;
    public final float[] data;

    public Tensor(Shape shape) {
        this(shape, new float[Math.toIntExact(shape.size())]);
    }

    public Tensor(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("tensor " + shape + " needs " + shape.size() + " floats, got " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    /** Index of element (n, c, h, w). */
    public int index(int n, int c, int h, int w) {
        return ((n * shape.c() + c) * shape.h() + h) * shape.w() + w;
    }

    public float get(int n, int c, int h, int w) {
        return data[index(n, c, h, w)];
    }
}
