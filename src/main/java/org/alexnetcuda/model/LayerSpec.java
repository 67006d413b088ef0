package org.alexnetcuda.model;

/**
 * One layer of a network, as data. Each kind is a record holding only its hyper-parameters; shapes are inferred
 * by {@link NetworkSpec}. {@code module} is the PyTorch nn.Sequential index ({@code net.0}) for layers that
 * the notebook's model has, or null for a layer it lacks (the LRN its text mentions but its code leaves out).
 */
public sealed interface LayerSpec {

    /** Our name, e.g. conv1, relu1, pool1, lrn2, fc6, drop6. */
    String name();

    /** The notebook's state_dict prefix, e.g. net.0; null where the notebook has no such module. */
    String module();

    /** A short type name for tables, as PyTorch prints it. */
    String type();

    record Conv(String name, String module, int outChannels, int kernel, int stride, int pad) implements LayerSpec {
        public String type() {
            return "Conv2d";
        }
    }

    record Relu(String name, String module) implements LayerSpec {
        public String type() {
            return "ReLU";
        }
    }

    record MaxPool(String name, String module, int kernel, int stride) implements LayerSpec {
        public String type() {
            return "MaxPool2d";
        }
    }

    /** Cross-channel LRN, PyTorch nn.LocalResponseNorm semantics: alpha is divided by size, as in cuDNN. */
    record Lrn(String name, String module, int size, double alpha, double beta, double k) implements LayerSpec {
        public String type() {
            return "LocalResponseNorm";
        }
    }

    record Flatten(String name, String module) implements LayerSpec {
        public String type() {
            return "Flatten";
        }
    }

    record Linear(String name, String module, int outFeatures) implements LayerSpec {
        public String type() {
            return "Linear";
        }
    }

    record Dropout(String name, String module, float p) implements LayerSpec {
        public String type() {
            return "Dropout";
        }
    }
}
