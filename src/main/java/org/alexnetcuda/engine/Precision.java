package org.alexnetcuda.engine;

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
 * </ul>
 * Mixed precision (BF16/FP16 storage) is not implemented; {@link #parse} says so.
 */
public enum Precision {
    FP32("fp32", "strict FP32 (FMA-only convolutions, cuBLAS default math)"),
    TF32("tf32", "TF32 tensor cores in convolutions and GEMMs, FP32 storage and accumulation");

    private final String option;
    private final String description;

    Precision(String option, String description) {
        this.option = option;
        this.description = description;
    }

    /** The spelling of --precision and of checkpoints: "fp32", "tf32". */
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
        if (v.equals("bf16") || v.equals("fp16") || v.equals("amp") || v.equals("mixed")) {
            throw new IllegalArgumentException("--precision " + v + " is not supported yet (mixed precision is planned); "
                    + "use fp32 or tf32");
        }
        throw new IllegalArgumentException("--precision must be fp32 or tf32 (got '" + s + "')");
    }

    @Override
    public String toString() {
        return option;
    }
}
