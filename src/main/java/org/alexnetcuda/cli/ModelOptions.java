package org.alexnetcuda.cli;

import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;

import picocli.CommandLine.Option;

/** The options that shape the network, shared by every command that builds one. */
public final class ModelOptions {
    @Option(names = "--input-size", paramLabel = "PIXELS", defaultValue = "227",
            description = "Side of the square network input; CIFAR-10's 32x32 images are resized to it (default: ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--classes", paramLabel = "N", defaultValue = "10",
            description = "Number of classes, the outputs of fc8 (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--lrn", paramLabel = "WHERE", defaultValue = "conv2",
            description = "Local response normalisation after: none, conv2 or conv1,conv2 (default: ${DEFAULT-VALUE}).")
    String lrn;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0.5",
            description = "Dropout probability of fc6 and fc7 (default: ${DEFAULT-VALUE}).")
    float dropout;

    public ModelConfig config() {
        return new ModelConfig(inputSize, classes, LrnPlacement.parse(lrn), dropout);
    }

    /** The network, or IllegalArgumentException naming the first empty layer and the smallest valid size. */
    public NetworkSpec network() {
        return AlexNet.buildChecked(config());
    }
}
