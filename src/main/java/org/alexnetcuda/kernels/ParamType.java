package org.alexnetcuda.kernels;

/**
 * The type of one kernel parameter, as the C signature in native-kernels/*.cu declares it.
 *
 * <p>PTX keeps only the width: pointers and 64-bit integers are {@code .u64}, 32-bit integers {@code .u32}.
 * {@link #ptxType()} gives that width type, which KernelSignatureTest compares with the committed PTX;
 * {@link #runnerName()} is the name the host kernel-runner uses.
 */
public enum ParamType {
    /** A device pointer; null is passed as a null pointer (for the optional arrays that kernels accept). */
    PTR("u64", "ptr"),
    /** C {@code int}, passed as an {@link Integer}. */
    I32("u32", "i32"),
    /** C {@code unsigned int}, passed as an {@link Integer} (bits). */
    U32("u32", "u32"),
    /** C {@code long long}, passed as a {@link Long}. */
    I64("u64", "i64"),
    /** C {@code unsigned long long}, passed as a {@link Long} (bits). */
    U64("u64", "u64"),
    /** C {@code float}, passed as a {@link Float}. */
    F32("f32", "f32"),
    /** C {@code double}, passed as a {@link Double}. */
    F64("f64", "f64");

    private final String ptxType;
    private final String runnerName;

    ParamType(String ptxType, String runnerName) {
        this.ptxType = ptxType;
        this.runnerName = runnerName;
    }

    /** The PTX {@code .param} type of this parameter in an {@code .entry}: u64, u32, f32 or f64. */
    public String ptxType() {
        return ptxType;
    }

    /** The type name in {@code kernel-runner list} and in its argument syntax ({@code i32:5}). */
    public String runnerName() {
        return runnerName;
    }

    /** Whether {@code value} is an acceptable Java argument for a parameter of this type. */
    public boolean accepts(Object value) {
        return switch (this) {
            case PTR -> !(value instanceof Number) && !(value instanceof Boolean) && !(value instanceof CharSequence);
            case I32, U32 -> value instanceof Integer;
            case I64, U64 -> value instanceof Long;
            case F32 -> value instanceof Float;
            case F64 -> value instanceof Double;
        };
    }
}
