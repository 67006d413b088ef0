package org.alexnetcuda.engine.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.Dnn;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * Which layers run in FP32 under mixed precision because cuDNN refused one of their 16-bit calls, decided once by
 * trying them.
 *
 * <p>Why: cuDNN's legacy API documents its supported data types call by call, and they differ; a cuDNN that runs
 * BFLOAT16 convolutions may answer CUDNN_STATUS_NOT_SUPPORTED to BFLOAT16 LRN, pooling, cudnnAddTensor or
 * cudnnConvolutionBackwardBias. Rather than fail at the first step, the engine tries each layer that calls cuDNN
 * once while it prepares (eagerly, before any capture; the layer's real shapes on scratch regions of the pool) and
 * runs the refusing layers as {@link Fp32Layer}s. Only NOT_SUPPORTED falls back: any other status is an error as
 * before. Nothing here is specific to bfloat16; fp16 falls back the same way.
 */
public final class Fp32Fallback {
    /** cuDNN's answer to a data type a call does not support. */
    static final String NOT_SUPPORTED = "CUDNN_STATUS_NOT_SUPPORTED";

    /** One layer run in FP32: the call cuDNN refused, its status and the refused data type (cuDNN's name). */
    public record Refusal(String layer, String call, String status, String dataType) {
        /** "cudnnLRNCrossChannelForward: CUDNN_STATUS_NOT_SUPPORTED for BFLOAT16". */
        public String reason() {
            return call + ": " + status + " for " + dataType;
        }
    }

    /** Nothing falls back (FP32 and TF32 runs, and mixed precision where cuDNN accepted every call). */
    public static final Fp32Fallback NONE = new Fp32Fallback(List.of());

    private final List<Refusal> refusals;

    private Fp32Fallback(List<Refusal> refusals) {
        this.refusals = List.copyOf(refusals);
    }

    /**
     * Tries each layer that calls cuDNN with {@code tryLayer} (its forward and backward on scratch of its real
     * shapes): a layer whose call answers CUDNN_STATUS_NOT_SUPPORTED is to run in FP32; other failures propagate.
     */
    static Fp32Fallback probe(List<CudaLayer> layers, StorageFormat act, IntConsumer tryLayer) {
        List<Refusal> refused = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (!callsCudnn(layers.get(i))) {
                continue;
            }
            try {
                tryLayer.accept(i);
            } catch (DeviceException e) {
                if (!NOT_SUPPORTED.equals(e.status()) || e.call() == null) {
                    throw e;
                }
                refused.add(new Refusal(layers.get(i).name(), e.call(), e.status(), dataType(act)));
            }
        }
        return refused.isEmpty() ? NONE : new Fp32Fallback(refused);
    }

    /**
     * Whether a layer calls cuDNN: convolutions, LRN, pooling, and the fully connected layers' bias (cudnnAddTensor).
     * Our kernels and cuBLAS's GEMMs take every format the engine uses.
     */
    static boolean callsCudnn(CudaLayer l) {
        return l instanceof Conv2d || l instanceof LrnLayer || l instanceof MaxPool || l instanceof Linear;
    }

    /** cuDNN's name of a storage format's data type without its prefix: HALF for CUDNN_DATA_HALF. */
    static String dataType(StorageFormat f) {
        return Dnn.dataTypeName(f).substring("CUDNN_DATA_".length());
    }

    public boolean isEmpty() {
        return refusals.isEmpty();
    }

    /** The layers run in FP32, in network order, each with the call that was refused. */
    public List<Refusal> refusals() {
        return refusals;
    }

    /** The names of the layers run in FP32, in network order. */
    public List<String> layers() {
        return refusals.stream().map(Refusal::layer).toList();
    }

    /** Whether the named layer runs in FP32. */
    boolean covers(String layer) {
        return refusals.stream().anyMatch(r -> r.layer().equals(layer));
    }

    /**
     * One line, the layers grouped by reason: "lrn1, lrn2 run in FP32 (cudnnLRNCrossChannelForward:
     * CUDNN_STATUS_NOT_SUPPORTED for BFLOAT16)"; "none" when nothing falls back.
     */
    public String describe() {
        if (refusals.isEmpty()) {
            return "none";
        }
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (Refusal r : refusals) {
            byReason.computeIfAbsent(r.reason(), k -> new ArrayList<>()).add(r.layer());
        }
        List<String> parts = new ArrayList<>();
        byReason.forEach((reason, names) -> parts.add(String.join(", ", names) + (names.size() == 1 ? " runs" : " run")
                + " in FP32 (" + reason + ")"));
        return String.join("; ", parts);
    }

    @Override
    public String toString() {
        return describe();
    }
}
