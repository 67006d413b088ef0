package org.alexnetcuda.cli;

import picocli.CommandLine.Option;

/** Which engine runs a command, shared by train, eval, predict and bench. */
public final class DeviceOptions {
    @Option(names = "--device", paramLabel = "gpu|sim|cpu", defaultValue = "gpu",
            description = "Engine: gpu (CUDA), sim (the CUDA engine on a CPU simulator of the GPU: slow, for debugging; "
                    + "its times are simulated) or cpu (the reference engine) (default: ${DEFAULT-VALUE}).")
    DeviceChoice device;

    /** Whether CUDA graphs are used: a separate mixin, for the commands that run full steps. */
    public static final class Graphs {
        @Option(names = "--no-graph", description = "Run every GPU step eagerly instead of replaying a captured CUDA graph.")
        boolean noGraph;
    }
}
