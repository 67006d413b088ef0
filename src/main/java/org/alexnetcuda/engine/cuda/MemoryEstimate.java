package org.alexnetcuda.engine.cuda;

import java.util.LinkedHashMap;
import java.util.Map;

import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * The device memory a training step needs, by kind: the CUDA engine's own {@link MemoryPlan} for the network,
 * the batch size and the dataset, with the cuDNN workspace at its budget. The engine allocates exactly the plan
 * (with the workspace its chosen algorithms need, at most the budget), so this is an upper bound by at most the
 * unused part of the budget.
 */
public final class MemoryEstimate {
    public static final long DEFAULT_WORKSPACE = 256L << 20;

    private final Map<String, Long> parts = new LinkedHashMap<>();
    private final long total;

    public MemoryEstimate(NetworkSpec spec, int batch, long datasetImages, long workspaceBytes) {
        this(spec, batch, datasetImages, workspaceBytes, StorageFormat.F32);
    }

    /** The plan with activations, layer weights and gradients stored as {@code act} (16-bit: mixed precision). */
    public MemoryEstimate(NetworkSpec spec, int batch, long datasetImages, long workspaceBytes, StorageFormat act) {
        MemoryPlan plan = new MemoryPlan(spec, batch, Math.toIntExact(datasetImages), 0, workspaceBytes, false, act);
        long[] g = plan.groupBytes();
        parts.put("parameters, gradients, Adam m and v", g[0]);
        parts.put("activations (input and every layer output)", g[1]);
        parts.put("activation gradients (2 x largest output)", g[2]);
        parts.put("dataset (uint8, " + datasetImages + " images)", g[3]);
        parts.put("cuDNN workspace budget, cuBLAS workspace", g[4]);
        total = plan.totalBytes();
    }

    public Map<String, Long> parts() {
        return parts;
    }

    /** The pool's total, alignment and the small buffers (labels, totals, ...) included. */
    public long total() {
        return total;
    }

    public static String mib(long bytes) {
        return String.format("%,.1f MiB", bytes / (double) (1L << 20));
    }
}
