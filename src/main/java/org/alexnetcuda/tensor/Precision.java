package org.alexnetcuda.tensor;

import java.util.Locale;

/**
 * The arithmetic of the convolutions and matrix products. Storage, accumulation, the optimizer and every other
 * layer are FP32 in both; only the inputs of the tensor-core products differ.
 *
 * <ul>
 * <li>{@link #FP32}: strict FP32. cuDNN convolutions are restricted to FMA kernels (CUDNN_FMA_MATH, as
 *     CUDNN_DEFAULT_MATH would allow TF32 on Ampere and newer) and cuBLAS keeps its default math, which does not
 *     use TF32 unless asked. This is what the CPU engine is compared with.</li>
 * <li>{@link #TF32}: TF32 tensor cores for convolutions (CUDNN_TENSOR_OP_MATH) and GEMMs
 *     (CUBLAS_TF32_TENSOR_OP_MATH): inputs rounded to a 10-bit mantissa, FP32 accumulation, as PyTorch with
 *     {@code allow_tf32 = True}.</li>
 * <li>{@link #FP16} and {@link #BF16}: mixed precision. Activations, their gradients, the weights the layers read
 *     (a 16-bit copy of the FP32 master weights, refreshed by Adam) and the weight gradients are 16-bit; cuDNN and
 *     cuBLAS compute in FP32 on tensor cores (the convolution descriptor's compute type is FLOAT, cublasGemmEx with
 *     CUBLAS_COMPUTE_32F); the loss, Adam's moments and the master weights stay FP32, as with PyTorch's autocast.
 *     FP16 also scales the loss dynamically (as torch.cuda.amp.GradScaler: initial scale 2^16, halved and the step
 *     skipped when a gradient is not finite, doubled after 2000 good steps); BF16, with FP32's range, does not.</li>
 * </ul>
 */
public enum Precision {
    FP32("fp32", "strict FP32 (FMA-only convolutions, cuBLAS default math)", StorageFormat.F32),
    TF32("tf32", "TF32 tensor cores in convolutions and GEMMs, FP32 storage and accumulation", StorageFormat.F32),
    FP16("fp16", "mixed precision: FP16 activations and weights on tensor cores, FP32 master weights and Adam, "
            + "dynamic loss scaling", StorageFormat.F16),
    BF16("bf16", "mixed precision: BF16 activations and weights on tensor cores, FP32 master weights and Adam",
            StorageFormat.BF16);

    private final String option;
    private final String description;
    private final StorageFormat storage;

    Precision(String option, String description, StorageFormat storage) {
        this.option = option;
        this.description = description;
        this.storage = storage;
    }

    /** How activations, layer weights and gradients are stored: F32 for fp32/tf32, 16-bit for mixed precision. */
    public StorageFormat storage() {
        return storage;
    }

    /** Whether convolutions and GEMMs may use tensor cores (every mode but strict fp32). */
    public boolean tensorOps() {
        return this != FP32;
    }

    /**
     * The oldest GPU (compute capability, major * 10 + minor) that can compute in this mode: 80 for bf16, whose
     * tensor cores came with Ampere; 0 for the others (fp16 tensor cores exist on every GPU the PTX targets, sm_75
     * and newer; TF32 math on a GPU before Ampere is plain FP32, as in cuDNN and cuBLAS).
     */
    public int minimumComputeCapability() {
        return this == BF16 ? 80 : 0;
    }

    /** Whether the loss is scaled dynamically and steps with non-finite gradients are skipped (fp16). */
    public boolean lossScaling() {
        return this == FP16;
    }

    /** The spelling of --precision and of checkpoints: "fp32", "tf32", "fp16", "bf16". */
    public String option() {
        return option;
    }

    /** One line for reports. */
    public String description() {
        return description;
    }

    /** --precision's value, case-insensitive; IllegalArgumentException (a usage error) otherwise. */
    public static Precision parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (Precision p : values()) {
            if (p.option.equals(v)) {
                return p;
            }
        }
        throw new IllegalArgumentException("--precision must be fp32, tf32, fp16 or bf16 (got '" + s + "')");
    }

    @Override
    public String toString() {
        return option;
    }
}
