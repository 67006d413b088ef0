package org.alexnetcuda.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.alexnetcuda.engine.Shape;

/**
 * The device memory one training step needs, by kind, from the network and the batch size:
 * <ul>
 * <li>parameters, their gradients and Adam's two moments: 4 x P floats;</li>
 * <li>the input batch and every layer's output, kept for backward (float NCHW);</li>
 * <li>activation gradients: two ping-pong buffers of the largest layer output (backward needs only dy and dx);</li>
 * <li>the uint8 dataset resident on the device (3072 bytes and a label per image);</li>
 * <li>the cuDNN workspace budget.</li>
 * </ul>
 */
public final class MemoryEstimate {
    public static final long DEFAULT_WORKSPACE = 256L << 20;

    private final Map<String, Long> parts = new LinkedHashMap<>();

    public MemoryEstimate(NetworkSpec spec, int batch, long datasetImages, long workspaceBytes) {
        long params = spec.parameterCount();
        parts.put("parameters, gradients, Adam m and v", 4 * 4 * params);
        List<Shape> out = spec.outputShapes(batch);
        long acts = spec.inputShape(batch).size();
        long largest = 0;
        for (Shape s : out) {
            acts += s.size();
            largest = Math.max(largest, s.size());
        }
        parts.put("activations (input and every layer output)", 4 * acts);
        parts.put("activation gradients (2 x largest output)", 4 * 2 * largest);
        parts.put("dataset (uint8, " + datasetImages + " images)", datasetImages * (3 * 32 * 32 + 1));
        parts.put("cuDNN workspace budget", workspaceBytes);
    }

    public Map<String, Long> parts() {
        return parts;
    }

    public long total() {
        return parts.values().stream().mapToLong(Long::longValue).sum();
    }

    public static String mib(long bytes) {
        return String.format("%,.1f MiB", bytes / (double) (1L << 20));
    }
}
