package org.alexnetcuda.cli;

import org.alexnetcuda.engine.cpu.CpuEngine;
import org.alexnetcuda.tensor.Precision;

import picocli.CommandLine.Option;

/** --precision, shared by train, eval and bench; parsed by {@link Precision#parse} so every error is one line. */
final class PrecisionOption {
    @Option(names = "--precision", paramLabel = "fp32|tf32|fp16|bf16", defaultValue = "fp32",
            description = "Math on the GPU: fp32 (strict FP32), tf32 (TF32 tensor cores, FP32 storage), fp16 or bf16 "
                    + "(mixed precision: 16-bit activations and weights on tensor cores, FP32 master weights and "
                    + "Adam; fp16 with dynamic loss scaling) (default: ${DEFAULT-VALUE}). The CPU engine computes in "
                    + "fp32 only.")
    String precision;

    Precision value() {
        return Precision.parse(precision);
    }

    /** The precision for this device, refused in one line (exit 2) where the engine cannot compute in it. */
    static Precision check(Precision p, DeviceChoice device) {
        if (device == DeviceChoice.cpu && p != Precision.FP32) {
            throw new IllegalArgumentException("--precision " + p + ": " + CpuEngine.CPU_PRECISION);
        }
        return p;
    }
}
