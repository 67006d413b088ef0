package org.alexnetcuda.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.Safetensors;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.train.CheckpointStore;
import org.alexnetcuda.train.RunConfig;

import picocli.CommandLine.Option;

/**
 * Where eval and predict take a trained network from: a checkpoint (which knows its architecture and class names)
 * or a bare weights file (whose architecture the model options describe). Exactly one of the two.
 */
final class WeightsSource {
    @Option(names = "--weights", paramLabel = "FILE", required = true,
            description = "Weights (safetensors, the notebook's state_dict names); the model options must describe their network.")
    Path weights;

    @Option(names = "--checkpoint", paramLabel = "DIR|FILE", required = true,
            description = "A checkpoint: a run folder (its newest), a checkpoint folder or a file in one; it knows its architecture.")
    Path checkpoint;

    /**
     * A network and its weights.
     *
     * @param config     the checkpoint's configuration, null for a weights file
     * @param classNames the training data's class names, null when unknown (a weights file)
     */
    record Loaded(NetworkSpec spec, ParameterStore weights, RunConfig config, List<String> classNames, String from) {
        /** Class names for display: the checkpoint's, else CIFAR-10's for 10 classes, else numbers. */
        List<String> names(int classes) {
            if (classNames != null && classNames.size() == classes) {
                return classNames;
            }
            if (classes == Cifar10Dataset.CLASSES) {
                return Cifar10Dataset.DEFAULT_CLASS_NAMES;
            }
            return java.util.stream.IntStream.range(0, classes).mapToObj(i -> "class " + i).toList();
        }
    }

    /** Reads the weights; model options typed alongside a checkpoint must agree with it. */
    Loaded load(ModelOptions model, Predicate<String> given) {
        if (checkpoint != null) {
            CheckpointStore.Found f = CheckpointStore.load(checkpoint);
            RunConfig c = f.checkpoint().state().config();
            model.requireSame(c.model(), c.widths(), given);
            return new Loaded(c.network(), f.checkpoint().weights(), c, c.data().fingerprint().classNames(),
                    f.dir().toString());
        }
        NetworkSpec spec = model.network();
        ParameterStore params = spec.newParameterStore();
        Safetensors.load(weights, params);
        return new Loaded(spec, params, null, null, weights.toString());
    }
}
