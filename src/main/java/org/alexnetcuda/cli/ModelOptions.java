package org.alexnetcuda.cli;

import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.train.CheckpointException;

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

    /** Test-only: narrower layers with the same topology, so that tests of whole runs take seconds. */
    @Option(names = "--widths", paramLabel = "C1,C2,C3,C4,C5,FC", hidden = true,
            description = "Channels of conv1..conv5 and the width of fc6/fc7 (default: the notebook's 96,256,384,384,256,4096).")
    String widths;

    public ModelConfig config() {
        return new ModelConfig(inputSize, classes, LrnPlacement.parse(lrn), dropout);
    }

    /** The layer widths: the notebook's unless --widths is given. */
    public AlexNet.Widths widths() {
        if (widths == null) {
            return AlexNet.NOTEBOOK_WIDTHS;
        }
        return parseWidths(widths);
    }

    static AlexNet.Widths parseWidths(String s) {
        String[] p = s.split(",");
        int[] w = new int[p.length];
        try {
            for (int i = 0; i < p.length; i++) {
                w[i] = Integer.parseInt(p[i].trim());
            }
        } catch (NumberFormatException e) {
            w = new int[0];
        }
        if (w.length != 6 || java.util.Arrays.stream(w).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException("--widths must be six positive numbers C1,C2,C3,C4,C5,FC (got '" + s + "')");
        }
        return new AlexNet.Widths(w[0], w[1], w[2], w[3], w[4], w[5]);
    }

    /**
     * Refuses model options given on the command line that differ from a checkpoint's architecture;
     * {@code given} says whether an option was typed.
     */
    void requireSame(ModelConfig saved, AlexNet.Widths savedWidths, java.util.function.Predicate<String> given) {
        same(given, "--input-size", inputSize, saved.inputSize());
        same(given, "--classes", classes, saved.numClasses());
        if (given.test("--lrn")) {
            same(given, "--lrn", LrnPlacement.parse(lrn), saved.lrn());
        }
        same(given, "--dropout", dropout, saved.dropout());
        if (given.test("--widths")) {
            same(given, "--widths", widths(), savedWidths);
        }
    }

    static void same(java.util.function.Predicate<String> given, String option, Object value, Object saved) {
        if (given.test(option) && !java.util.Objects.equals(value, saved)) {
            throw new CheckpointException(option + " " + value + " differs from the checkpoint's " + saved
                    + "; the checkpoint fixes it (start a new run to change it)");
        }
    }

    /** The network, or IllegalArgumentException naming the first empty layer and the smallest valid size. */
    public NetworkSpec network() {
        AlexNet.buildChecked(config());
        return AlexNet.build(config(), widths());
    }
}
