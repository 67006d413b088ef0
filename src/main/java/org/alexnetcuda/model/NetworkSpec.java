package org.alexnetcuda.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Shape;

/**
 * A network as data: the input (channels x size x size) and its layers in order, with shape inference.
 * Conv output side: floor((H + 2*pad - k) / stride) + 1; max-pool (no padding, floor mode): floor((H - k) / stride) + 1.
 */
public final class NetworkSpec {
    private final int inputSize;
    private final int inputChannels;
    private final List<LayerSpec> layers;

    public NetworkSpec(int inputSize, int inputChannels, List<LayerSpec> layers) {
        this.inputSize = inputSize;
        this.inputChannels = inputChannels;
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
    }

    public int inputSize() {
        return inputSize;
    }

    public int inputChannels() {
        return inputChannels;
    }

    public List<LayerSpec> layers() {
        return layers;
    }

    public Shape inputShape(int batch) {
        return new Shape(batch, inputChannels, inputSize, inputSize);
    }

    /** The output shape of one layer for an input of the given shape (may have zero or negative-clamped sides). */
    public static Shape outputShape(LayerSpec layer, Shape in) {
        if (layer instanceof LayerSpec.Conv c) {
            return new Shape(in.n(), c.outChannels(),
                    side(in.h(), c.kernel(), c.stride(), c.pad()), side(in.w(), c.kernel(), c.stride(), c.pad()));
        }
        if (layer instanceof LayerSpec.MaxPool p) {
            return new Shape(in.n(), in.c(), side(in.h(), p.kernel(), p.stride(), 0), side(in.w(), p.kernel(), p.stride(), 0));
        }
        if (layer instanceof LayerSpec.Flatten) {
            return Shape.vector(in.n(), in.sampleSize());
        }
        if (layer instanceof LayerSpec.Linear f) {
            return Shape.vector(in.n(), f.outFeatures());
        }
        return in; // ReLU, LRN, dropout keep the shape
    }

    private static int side(int in, int k, int stride, int pad) {
        int span = in + 2 * pad - k;
        return span < 0 ? 0 : span / stride + 1;
    }

    /** Output shape of every layer, in order, for a batch of the given size. */
    public List<Shape> outputShapes(int batch) {
        List<Shape> out = new ArrayList<>(layers.size());
        Shape s = inputShape(batch);
        for (LayerSpec l : layers) {
            s = outputShape(l, s);
            out.add(s);
        }
        return out;
    }

    /** Input shape of every layer, in order. */
    public List<Shape> inputShapes(int batch) {
        List<Shape> in = new ArrayList<>(layers.size());
        Shape s = inputShape(batch);
        for (LayerSpec l : layers) {
            in.add(s);
            s = outputShape(l, s);
        }
        return in;
    }

    public Shape outputShape(int batch) {
        List<Shape> all = outputShapes(batch);
        return all.get(all.size() - 1);
    }

    /** The name of the first layer whose output is empty, or null when all are non-empty. */
    public String firstEmptyLayer(int batch) {
        List<Shape> out = outputShapes(batch);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).size() == 0) {
                return layers.get(i).name();
            }
        }
        return null;
    }

    /** Parameter shapes of one layer, weight first then bias, with PyTorch names; empty for parameter-free layers. */
    public static List<ParamSpec> parameters(LayerSpec layer, Shape in) {
        if (layer instanceof LayerSpec.Conv c) {
            int area = c.kernel() * c.kernel();
            return List.of(
                    new ParamSpec(c.module() + ".weight", new int[] {c.outChannels(), in.c(), c.kernel(), c.kernel()},
                            in.c() * area, c.outChannels() * area),
                    new ParamSpec(c.module() + ".bias", new int[] {c.outChannels()}, 0, 0));
        }
        if (layer instanceof LayerSpec.Linear f) {
            return List.of(
                    new ParamSpec(f.module() + ".weight", new int[] {f.outFeatures(), in.sampleSize()},
                            in.sampleSize(), f.outFeatures()),
                    new ParamSpec(f.module() + ".bias", new int[] {f.outFeatures()}, 0, 0));
        }
        return List.of();
    }

    /**
     * A parameter's name and PyTorch shape, with the fans Xavier init uses (fan_in = in * kernel area,
     * fan_out = out * kernel area; zero for biases).
     */
    public record ParamSpec(String name, int[] dims, int fanIn, int fanOut) {
        public long size() {
            long s = 1;
            for (int d : dims) {
                s *= d;
            }
            return s;
        }

        public boolean isBias() {
            return dims.length == 1;
        }
    }

    /** Every parameter in state_dict order. */
    public List<ParamSpec> parameters() {
        List<ParamSpec> all = new ArrayList<>();
        List<Shape> in = inputShapes(1);
        for (int i = 0; i < layers.size(); i++) {
            all.addAll(parameters(layers.get(i), in.get(i)));
        }
        return all;
    }

    public long parameterCount() {
        long n = 0;
        for (ParamSpec p : parameters()) {
            n += p.size();
        }
        return n;
    }

    /** A zero-filled store with every parameter at its offset, in state_dict order. */
    public ParameterStore newParameterStore() {
        ParameterStore.Builder b = new ParameterStore.Builder();
        for (ParamSpec p : parameters()) {
            b.add(p.name(), p.dims());
        }
        return b.build();
    }

    /**
     * Forward floating-point operations of one layer for one sample (multiply and add counted as two; conv and
     * linear only, the rest are memory-bound and counted as zero).
     */
    public static long forwardFlops(LayerSpec layer, Shape in, Shape out) {
        if (layer instanceof LayerSpec.Conv c) {
            return 2L * out.c() * out.h() * out.w() * in.c() * c.kernel() * c.kernel();
        }
        if (layer instanceof LayerSpec.Linear f) {
            return 2L * in.sampleSize() * f.outFeatures();
        }
        return 0L;
    }

    public long forwardFlopsPerSample() {
        List<Shape> in = inputShapes(1);
        List<Shape> out = outputShapes(1);
        long total = 0;
        for (int i = 0; i < layers.size(); i++) {
            total += forwardFlops(layers.get(i), in.get(i), out.get(i));
        }
        return total;
    }
}
