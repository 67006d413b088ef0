package org.alexnetcuda.tensor;

/**
 * How a tensor's elements are stored in device memory: FP32, or one of the two 16-bit formats of mixed precision.
 * Arithmetic is FP32 everywhere; a 16-bit element is widened exactly on load and rounded to nearest, ties to even,
 * on store (IEEE 754 roundTiesToEven, as CUDA's __float2half_rn and __float2bfloat16_rn).
 *
 * <ul>
 * <li>{@link #F16}: IEEE binary16, 1 sign, 5 exponent, 10 mantissa bits; largest finite 65504, so values from
 *     65520 up round to infinity (the reason fp16 training scales the loss and checks the gradients).</li>
 * <li>{@link #BF16}: bfloat16, FP32's upper 16 bits: FP32's range with an 7-bit mantissa.</li>
 * </ul>
 * The code is the {@code int fmt} argument of the kernels (native-kernels/common.cuh: 0, 1, 2) and never changes.
 */
public enum StorageFormat {
    F32(0, 4, "float32"),
    F16(1, 2, "float16"),
    BF16(2, 2, "bfloat16");

    private final int code;
    private final int bytes;
    private final String dtype;

    StorageFormat(int code, int bytes, String dtype) {
        this.code = code;
        this.bytes = bytes;
        this.dtype = dtype;
    }

    /** The kernels' {@code int fmt}: 0 F32, 1 F16, 2 BF16. */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** PyTorch's name of the type ("float16", ...). */
    public String dtype() {
        return dtype;
    }

    public boolean isHalf() {
        return bytes == 2;
    }

    /** The 16 bits of {@code f} rounded to nearest even in this (16-bit) format. */
    public short encode(float f) {
        return switch (this) {
            case F16 -> floatToF16(f);
            case BF16 -> floatToBf16(f);
            case F32 -> throw new IllegalStateException("F32 is not a 16-bit format");
        };
    }

    /** The exact FP32 value of 16 bits of this format. */
    public float decode(short bits) {
        return switch (this) {
            case F16 -> f16ToFloat(bits);
            case BF16 -> Float.intBitsToFloat((bits & 0xffff) << 16);
            case F32 -> throw new IllegalStateException("F32 is not a 16-bit format");
        };
    }

    /** {@code f} rounded to this format and widened back (identity for F32). */
    public float round(float f) {
        return this == F32 ? f : decode(encode(f));
    }

    /** Every element rounded in place; returns {@code v}. */
    public float[] round(float[] v) {
        if (this != F32) {
            for (int i = 0; i < v.length; i++) {
                v[i] = round(v[i]);
            }
        }
        return v;
    }

    /** bfloat16: FP32's upper half, rounded to nearest even; a NaN stays a (quiet) NaN of the same sign. */
    static short floatToBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7fffffff) > 0x7f800000) {
            return (short) ((x >>> 16) | 0x0040);
        }
        int lsb = (x >>> 16) & 1;
        return (short) ((x + 0x7fff + lsb) >>> 16);
    }

    /**
     * binary16 from FP32, rounded to nearest even: normal results by rounding the 13 dropped mantissa bits,
     * subnormal ones (below 2^-14) by rounding the value's multiple of 2^-24, overflow to infinity, NaN quiet.
     */
    static short floatToF16(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int abs = x & 0x7fffffff;
        if (abs > 0x7f800000) {
            return (short) (sign | 0x7e00 | ((abs >>> 13) & 0x3ff));
        }
        if (abs >= 0x477ff000) {
            // >= 65520 (the midpoint between 65504 and 2^16) rounds to infinity; so does infinity
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) {
            // normal in binary16 (>= 2^-14): rebias the exponent (127 -> 15) and round the mantissa
            int lsb = (abs >>> 13) & 1;
            return (short) (sign | ((abs - 0x38000000 + 0xfff + lsb) >>> 13));
        }
        if (abs < 0x33000000) {
            // below half the smallest subnormal 2^-24 (and not equal to it): rounds to zero
            return (short) sign;
        }
        // subnormal: the value in units of 2^-24, rounded to nearest even
        int exp = abs >>> 23;
        int mant = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - exp;  // value = mant * 2^(exp - 150), in units of 2^-24: mant >> (126 - exp)
        int q = mant >>> shift;
        int rem = mant & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rem > half || (rem == half && (q & 1) == 1)) {
            q++;
        }
        return (short) (sign | q);
    }

    static float f16ToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // zero or subnormal: mant * 2^-24, exact in FP32
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
