package org.alexnetcuda.model;

import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.tensor.Shape;

/**
 * Floating-point operations of a training step, per image and layer, as the engines run it (a multiply-add counts
 * two). Forward: {@link NetworkSpec#forwardFlops} (convolutions and linear layers; the rest are memory-bound and
 * count zero). Backward of a convolution or linear layer is two products of the forward's size, the weight
 * gradient and the input gradient, except for the first layer, whose input gradient nobody needs and the engines
 * skip. So a step is about three forward passes, a little less: 6.57 GFLOP per image for the notebook's network
 * at 227 against 2.26 forward. Bias, ReLU, pooling, LRN, dropout, the loss and Adam are not counted.
 */
public final class FlopCount {
    private FlopCount() {
    }

    /** One layer's FLOPs per image. */
    public record Layer(String name, long forward, long backward) {
    }

    public static List<Layer> perLayer(NetworkSpec spec) {
        List<Shape> in = spec.inputShapes(1);
        List<Shape> out = spec.outputShapes(1);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec l = spec.layers().get(i);
            long f = NetworkSpec.forwardFlops(l, in.get(i), out.get(i));
            layers.add(new Layer(l.name(), f, i == 0 ? f : 2 * f));
        }
        return layers;
    }

    /** Forward plus backward FLOPs of one image. */
    public static long trainPerImage(NetworkSpec spec) {
        long total = 0;
        for (Layer l : perLayer(spec)) {
            total += l.forward() + l.backward();
        }
        return total;
    }
}
