package org.alexnetcuda.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference notebook's AlexNet as a list of layer specs:
 * <pre>
 * conv1 96@11x11/4 pad 1, ReLU, [LRN], maxpool 3/2
 * conv2 256@5x5 pad 2,   ReLU, [LRN], maxpool 3/2
 * conv3 384@3x3 pad 1, ReLU;  conv4 384@3x3 pad 1, ReLU;  conv5 256@3x3 pad 1, ReLU, maxpool 3/2
 * flatten; fc6 4096, ReLU, dropout; fc7 4096, ReLU, dropout; fc8 num_classes
 * </pre>
 * Module names are the notebook's nn.Sequential indices, so parameters are named as its state_dict
 * (net.0, net.3, net.6, net.8, net.10, net.14, net.17, net.20) whatever the LRN placement.
 */
public final class AlexNet {
    private AlexNet() {
    }

    /**
     * Channel counts of conv1..conv5 and the width of fc6/fc7. The notebook's are {@link #NOTEBOOK_WIDTHS};
     * narrower ones keep the topology for small, fast golden tests.
     */
    public record Widths(int conv1, int conv2, int conv3, int conv4, int conv5, int fc) {
    }

    public static final Widths NOTEBOOK_WIDTHS = new Widths(96, 256, 384, 384, 256, 4096);

    public static NetworkSpec build(ModelConfig cfg) {
        return build(cfg, NOTEBOOK_WIDTHS);
    }

    public static NetworkSpec build(ModelConfig cfg, Widths w) {
        List<LayerSpec> l = new ArrayList<>();
        l.add(new LayerSpec.Conv("conv1", "net.0", w.conv1(), 11, 4, 1));
        l.add(new LayerSpec.Relu("relu1", "net.1"));
        addLrn(l, cfg, 1);
        l.add(new LayerSpec.MaxPool("pool1", "net.2", 3, 2));
        l.add(new LayerSpec.Conv("conv2", "net.3", w.conv2(), 5, 1, 2));
        l.add(new LayerSpec.Relu("relu2", "net.4"));
        addLrn(l, cfg, 2);
        l.add(new LayerSpec.MaxPool("pool2", "net.5", 3, 2));
        l.add(new LayerSpec.Conv("conv3", "net.6", w.conv3(), 3, 1, 1));
        l.add(new LayerSpec.Relu("relu3", "net.7"));
        l.add(new LayerSpec.Conv("conv4", "net.8", w.conv4(), 3, 1, 1));
        l.add(new LayerSpec.Relu("relu4", "net.9"));
        l.add(new LayerSpec.Conv("conv5", "net.10", w.conv5(), 3, 1, 1));
        l.add(new LayerSpec.Relu("relu5", "net.11"));
        l.add(new LayerSpec.MaxPool("pool5", "net.12", 3, 2));
        l.add(new LayerSpec.Flatten("flatten", "net.13"));
        l.add(new LayerSpec.Linear("fc6", "net.14", w.fc()));
        l.add(new LayerSpec.Relu("relu6", "net.15"));
        l.add(new LayerSpec.Dropout("drop6", "net.16", cfg.dropout()));
        l.add(new LayerSpec.Linear("fc7", "net.17", w.fc()));
        l.add(new LayerSpec.Relu("relu7", "net.18"));
        l.add(new LayerSpec.Dropout("drop7", "net.19", cfg.dropout()));
        l.add(new LayerSpec.Linear("fc8", "net.20", cfg.numClasses()));
        return new NetworkSpec(cfg.inputSize(), 3, l);
    }

    private static void addLrn(List<LayerSpec> l, ModelConfig cfg, int conv) {
        if (cfg.lrn().after(conv)) {
            l.add(new LayerSpec.Lrn("lrn" + conv, null, ModelConfig.LRN_SIZE, ModelConfig.LRN_ALPHA,
                    ModelConfig.LRN_BETA, ModelConfig.LRN_K));
        }
    }

    /** The smallest input size for which every layer's output is non-empty. */
    public static int smallestInputSize(ModelConfig cfg) {
        for (int s = 1; s < 4096; s++) {
            if (build(new ModelConfig(s, cfg.numClasses(), cfg.lrn(), cfg.dropout())).firstEmptyLayer(1) == null) {
                return s;
            }
        }
        throw new IllegalStateException("no valid input size below 4096");
    }

    /** The spec for cfg, or an exception naming the first empty layer and the smallest valid size. */
    public static NetworkSpec buildChecked(ModelConfig cfg) {
        NetworkSpec spec = build(cfg);
        String empty = spec.firstEmptyLayer(1);
        if (empty != null) {
            throw new IllegalArgumentException("--input-size " + cfg.inputSize() + " makes the output of " + empty
                    + " empty; the smallest valid input size is " + smallestInputSize(cfg));
        }
        return spec;
    }
}
