package org.alexnetcuda.engine.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.model.LayerSpec;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * A network spec made runnable on the CPU: one {@link CpuLayer} per spec layer (flatten is a no-op, as Linear
 * reads any NCHW input as (N, C*H*W)), the activations and their gradients, forward and backward over the list.
 */
public final class CpuNetwork {
    private final NetworkSpec spec;
    private final ParameterStore store;
    private final List<CpuLayer> layers = new ArrayList<>();
    private int batch = -1;
    private Tensor[] act;
    private Tensor[] grad;

    /** A network whose dropout layers draw Philox masks from (dropoutSeed, layer index, step, element). */
    public CpuNetwork(NetworkSpec spec, ParameterStore store, long dropoutSeed) {
        this(spec, store, dropoutSeed, Map.of());
    }

    /**
     * A network in which the dropout layers named in {@code masks} use the given masks instead (tests use this
     * to replay the masks PyTorch drew).
     */
    public CpuNetwork(NetworkSpec spec, ParameterStore store, long dropoutSeed, Map<String, DropoutMask> masks) {
        this.spec = spec;
        this.store = store;
        List<Shape> in = spec.inputShapes(1);
        for (int i = 0; i < spec.layers().size(); i++) {
            layers.add(create(spec.layers().get(i), in.get(i), i, dropoutSeed, masks));
        }
    }

    private CpuLayer create(LayerSpec l, Shape in, int index, long seed, Map<String, DropoutMask> masks) {
        if (l instanceof LayerSpec.Conv c) {
            return new Conv2d(c.name(), in.c(), c.outChannels(), c.kernel(), c.stride(), c.pad(), store,
                    store.get(c.module() + ".weight"), store.get(c.module() + ".bias"));
        }
        if (l instanceof LayerSpec.Linear f) {
            return new Linear(f.name(), in.sampleSize(), f.outFeatures(), store,
                    store.get(f.module() + ".weight"), store.get(f.module() + ".bias"));
        }
        if (l instanceof LayerSpec.Relu r) {
            return new Relu(r.name());
        }
        if (l instanceof LayerSpec.MaxPool p) {
            return new MaxPool(p.name(), p.kernel(), p.stride());
        }
        if (l instanceof LayerSpec.Lrn n) {
            return new LrnLayer(n.name(), n.size(), n.alpha(), n.beta(), n.k());
        }
        if (l instanceof LayerSpec.Dropout d) {
            DropoutMask mask = masks.get(d.name());
            return mask != null ? new Dropout(d.name(), d.p(), mask) : new Dropout(d.name(), d.p(), seed, index);
        }
        return new FlattenLayer(l.name());
    }

    public List<CpuLayer> layers() {
        return layers;
    }

    public ParameterStore store() {
        return store;
    }

    /** The input tensor of the next pass, for a batch of n (buffers are reused while n stays the same). */
    public Tensor input(int n) {
        if (n != batch) {
            List<Shape> out = spec.outputShapes(n);
            act = new Tensor[out.size() + 1];
            grad = new Tensor[out.size() + 1];
            act[0] = new Tensor(spec.inputShape(n));
            for (int i = 0; i < out.size(); i++) {
                act[i + 1] = new Tensor(out.get(i));
                grad[i + 1] = new Tensor(out.get(i));
            }
            batch = n;
        }
        return act[0];
    }

    /** Runs every layer forward on {@link #input}; returns the logits. */
    public Tensor forward(Pass pass) {
        return forward(pass, null);
    }

    /** As {@link #forward(Pass)}, adding each layer's wall time to {@code nanos[i]} when nanos is not null. */
    public Tensor forward(Pass pass, long[] nanos) {
        for (int i = 0; i < layers.size(); i++) {
            long t0 = System.nanoTime();
            layers.get(i).forward(act[i], act[i + 1], pass);
            if (nanos != null) {
                nanos[i] += System.nanoTime() - t0;
            }
        }
        return act[layers.size()];
    }

    /** The gradient buffer of the logits, to be filled by the loss before {@link #backward}. */
    public Tensor logitsGradient() {
        return grad[layers.size()];
    }

    /** Runs every layer backward from {@link #logitsGradient}, accumulating parameter gradients. */
    public void backward(Pass pass) {
        backward(pass, null);
    }

    /** As {@link #backward(Pass)}, adding each layer's wall time to {@code nanos[i]} when nanos is not null. */
    public void backward(Pass pass, long[] nanos) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            long t0 = System.nanoTime();
            layers.get(i).backward(act[i], act[i + 1], grad[i + 1], i == 0 ? null : grad[i], pass);
            if (nanos != null) {
                nanos[i] += System.nanoTime() - t0;
            }
        }
    }

    /** The output of layer i after a forward pass (for tests and per-layer comparisons). */
    public Tensor activation(int layer) {
        return act[layer + 1];
    }

    /** The gradient with respect to the output of layer i after a backward pass. */
    public Tensor activationGradient(int layer) {
        return grad[layer + 1];
    }

    /** Flatten: the NCHW layout already is PyTorch's flatten order, so this is a copy. */
    private static final class FlattenLayer implements CpuLayer {
        private final String name;

        FlattenLayer(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Shape outputShape(Shape input) {
            return Shape.vector(input.n(), input.sampleSize());
        }

        @Override
        public void forward(Tensor x, Tensor y, Pass pass) {
            System.arraycopy(x.data, 0, y.data, 0, x.data.length);
        }

        @Override
        public void backward(Tensor x, Tensor y, Tensor dy, Tensor dx, Pass pass) {
            if (dx != null) {
                System.arraycopy(dy.data, 0, dx.data, 0, dy.data.length);
            }
        }
    }
}
