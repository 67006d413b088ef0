package org.alexnetcuda.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.alexnetcuda.engine.cuda.DevicePool;
import org.alexnetcuda.engine.cuda.MemoryEstimate;
import org.alexnetcuda.engine.cuda.MemoryPlan;
import org.alexnetcuda.model.LayerSpec;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.Shape;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "summary", description = "Print every layer with its parameters and output shape, the totals, and the memory a training step needs.",
        mixinStandardHelpOptions = true, sortOptions = false)
public final class SummaryCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
            description = "Batch size for the shapes and the memory estimate (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--dataset-images", paramLabel = "N", defaultValue = "60000",
            description = "Images kept in device memory, for the estimate (default: CIFAR-10's ${DEFAULT-VALUE}).")
    long datasetImages;

    @Option(names = "--plan", description = "Also list every region of the CUDA engine's device pool with its offset.")
    boolean plan;

    @Mixin
    PrecisionOption precision;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1 (got " + batchSize + ")");
        }
        NetworkSpec spec = model.network();
        System.out.print(table(spec, batchSize));
        var act = precision.value().storage();
        MemoryEstimate mem = new MemoryEstimate(spec, batchSize, datasetImages, MemoryEstimate.DEFAULT_WORKSPACE, act);
        System.out.println();
        System.out.println("Device memory for a training step at batch " + batchSize + " in " + precision.value()
                + ": the CUDA engine's pool, one allocation (cuDNN workspace at its budget):");
        for (Map.Entry<String, Long> e : mem.parts().entrySet()) {
            System.out.printf("  %-46s %14s%n", e.getKey(), MemoryEstimate.mib(e.getValue()));
        }
        System.out.printf("  %-46s %14s%n", "total", MemoryEstimate.mib(mem.total()));
        if (plan) {
            System.out.println();
            System.out.printf("  %-28s %16s %16s%n", "region", "offset", "bytes");
            MemoryPlan p = new MemoryPlan(spec, batchSize, Math.toIntExact(datasetImages), 0,
                    MemoryEstimate.DEFAULT_WORKSPACE, false, act);
            for (DevicePool.Region r : p.pool.regions()) {
                System.out.printf("  %-28s %,16d %,16d%n", r.name(), r.offset(), r.bytes());
            }
        }
        return ExitCodes.OK;
    }

    /** The layer table: name, module, type, parameters, output shape; then totals. */
    static String table(NetworkSpec spec, int batch) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-10s %-8s %-18s %12s  %-20s%n";
        sb.append(String.format(fmt, "Layer Name", "Module", "Layer Type", "Param #", "Output Shape"));
        sb.append("-".repeat(72)).append('\n');
        List<LayerSpec> layers = spec.layers();
        List<Shape> in = spec.inputShapes(batch);
        List<Shape> out = spec.outputShapes(batch);
        sb.append(String.format(fmt, "input", "", "", "", spec.inputShape(batch)));
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            long params = NetworkSpec.parameters(l, in.get(i)).stream().mapToLong(NetworkSpec.ParamSpec::size).sum();
            sb.append(String.format(fmt, l.name(), l.module() == null ? "-" : l.module(), l.type(),
                    String.format("%,d", params), out.get(i)));
        }
        sb.append("-".repeat(72)).append('\n');
        long total = spec.parameterCount();
        sb.append(String.format("Total parameters:      %,d (%s as float32)%n", total, MemoryEstimate.mib(4 * total)));
        sb.append(String.format("Trainable parameters:  %,d%n", total));
        sb.append(String.format("Forward FLOPs / image: %,.2f GFLOP%n", spec.forwardFlopsPerSample() / 1e9));
        return sb.toString();
    }
}
