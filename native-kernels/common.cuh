// Shared definitions for the project's CUDA kernels.
//
// Every .cu file in native-kernels/ is compiled twice from the same text:
//   - by nvcc to PTX (make -C native-kernels ptx), shipped in the jar and JIT-compiled by the driver;
//   - by g++ as plain C++ (make -C native-kernels host), where host/cuda_host_shim.h supplies the CUDA
//     keywords, the built-in index variables, __syncthreads and a CPU launch(), so the same kernels run
//     without a GPU in the tests and in the CPU simulator of the device API.
// So kernel bodies use only what both compilers understand: plain C++ arithmetic, the math functions of
// <math.h> (expf, logf, sqrtf, sqrt, pow), and __syncthreads. No warp shuffles, atomics or intrinsics.
//
// Floating point: the PTX is built with --fmad=false and the host build with -ffp-contract=off, so every
// float expression is the same sequence of IEEE-rounded operations on both sides and in the Java CPU
// engine, which never fuses (division and sqrtf are IEEE-rounded under nvcc's default -prec-div and
// -prec-sqrt). Where the Java reference does fuse, by Math.fma, the kernel calls fmaf, correctly rounded
// everywhere. Only transcendental functions (exp, log, pow) may differ by an ulp between CUDA, glibc and
// Java; the kernels that use them do so in double, where that ulp rarely survives a rounding to float.
#ifndef ALEXNET_COMMON_CUH
#define ALEXNET_COMMON_CUH

#ifndef __CUDACC__
#include <string.h>

#include "host/cuda_host_shim.h"
#else
#include <math.h>
#endif

// Element-wise kernels take this block size and are launched with
//   grid = min(ceil(n / ELEMENTWISE_BLOCK), ELEMENTWISE_MAX_GRID);
// the grid-stride loop covers the rest. 4096 blocks of 256 threads is several waves on every target GPU
// (an H100 holds 132 SMs x 2048 threads = 270k resident threads) while keeping the launch small.
// The Java launchers hold the same two numbers (org.alexnetcuda.kernels.LaunchShape).
#define ELEMENTWISE_BLOCK 256
#define ELEMENTWISE_MAX_GRID 4096

// Grid-stride loop over [0, n). The index is 64-bit so that i + stride cannot overflow for n near 2^31;
// consecutive threads take consecutive indices, so loads and stores of float arrays coalesce.
#define GRID_STRIDE_LOOP(i, n)                                                                  \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n);    \
         i += (long long)blockDim.x * gridDim.x)

// Block-stride loop: one block per item, items strided by the grid (for block-per-sample kernels).
#define BLOCK_STRIDE_LOOP(b, n) for (int b = (int)blockIdx.x; b < (n); b += (int)gridDim.x)

// A launch-shape precondition the kernel cannot work without (e.g. a power-of-two block for a tree
// reduction). A violation is a bug in the launcher, so it stops the kernel loudly: __trap() aborts the
// launch with an error on the GPU, and the host shim prints the condition and aborts the process.
#ifdef __CUDACC__
#define KERNEL_REQUIRE(cond) \
    do {                     \
        if (!(cond)) {       \
            __trap();        \
        }                    \
    } while (0)
#else
#define KERNEL_REQUIRE(cond) \
    do {                     \
        if (!(cond)) {       \
            cuda_host_shim::kernel_trap(#cond, __FILE__, __LINE__); \
        }                    \
    } while (0)
#endif

// ---------------------------------------------------------------------------------------------------------
// 16-bit storage for mixed precision (org.alexnetcuda.tensor.StorageFormat).
//
// A 16-bit tensor is an array of unsigned short holding the raw bits; the kernels take its format as
// `int fmt`, StorageFormat.code(): STORAGE_F16 (1) IEEE binary16 or STORAGE_BF16 (2) bfloat16, and refuse
// any other value with KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16) (StorageFormat.F32 has
// its own float kernels). Arithmetic stays FP32:
// an element is widened exactly by half_load, computed on in float as the FP32 kernel does, and rounded
// to nearest, ties to even, by half_store.
//
// The conversions are integer bit manipulation, not the cuda_fp16.h/cuda_bf16.h intrinsics (which g++
// does not have), written as StorageFormat.encode/decode are, so that nvcc, g++ and Java give the same bits
// for every input, NaN included: a NaN stays a quiet NaN of the same sign (bf16: its upper 16 bits with the
// quiet bit set; fp16: its top 10 mantissa bits with the quiet bit set); fp16 overflows to infinity from
// 65520 (the midpoint between 65504 and 2^16) up. Note that a GPU's float arithmetic turns any NaN into the
// canonical 0x7fffffff where x86 and Java propagate the payload, so a NaN computed by a kernel may have other
// bits on the GPU than in the host build (it is a NaN of some sign either way); stored NaNs that are only
// moved, not computed on, are the same everywhere.
#define STORAGE_F32 0
#define STORAGE_F16 1
#define STORAGE_BF16 2

// The bits of a float and back: exact reinterpretations (the CUDA functions compile to a register move;
// the host uses memcpy, the defined way to pun in C++).
static __host__ __device__ __forceinline__ unsigned int float_bits(float f) {
#ifdef __CUDACC__
    return __float_as_uint(f);
#else
    unsigned int u;
    memcpy(&u, &f, sizeof u);
    return u;
#endif
}

static __host__ __device__ __forceinline__ float bits_float(unsigned int u) {
#ifdef __CUDACC__
    return __uint_as_float(u);
#else
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
#endif
}

// The exact FP32 value of 16 bits of format fmt (StorageFormat.decode).
static __host__ __device__ __forceinline__ float half_load(unsigned short h, int fmt) {
    const unsigned int bits = h;
    if (fmt == STORAGE_BF16) {
        return bits_float(bits << 16);
    }
    const unsigned int sign = (bits & 0x8000u) << 16;
    const unsigned int exp = (bits >> 10) & 0x1fu;
    const unsigned int mant = bits & 0x3ffu;
    if (exp == 0x1fu) {
        return bits_float(sign | 0x7f800000u | (mant << 13));  // infinity or NaN (payload kept)
    }
    if (exp == 0) {
        // zero or subnormal: mant * 2^-24, exact in FP32 (mant < 2^10)
        const float v = (float)mant * 0x1p-24f;
        return sign != 0 ? -v : v;
    }
    return bits_float(sign | ((exp + 112u) << 23) | (mant << 13));
}

// f rounded to nearest even in format fmt (StorageFormat.encode), as its 16 bits.
static __host__ __device__ __forceinline__ unsigned short half_store(float f, int fmt) {
    const unsigned int x = float_bits(f);
    if (fmt == STORAGE_BF16) {
        if ((x & 0x7fffffffu) > 0x7f800000u) {
            return (unsigned short)((x >> 16) | 0x0040u);  // NaN: quiet, same sign
        }
        const unsigned int lsb = (x >> 16) & 1u;
        return (unsigned short)((x + 0x7fffu + lsb) >> 16);  // cannot wrap: x <= 0xff800000 here
    }
    const unsigned int sign = (x >> 16) & 0x8000u;
    const unsigned int abs = x & 0x7fffffffu;
    if (abs > 0x7f800000u) {
        return (unsigned short)(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));  // NaN: quiet, same sign
    }
    if (abs >= 0x477ff000u) {
        return (unsigned short)(sign | 0x7c00u);  // >= 65520, or infinity: infinity
    }
    if (abs >= 0x38800000u) {
        // normal in binary16 (>= 2^-14): rebias the exponent (127 -> 15) and round the 13 dropped bits
        const unsigned int lsb = (abs >> 13) & 1u;
        return (unsigned short)(sign | ((abs - 0x38000000u + 0xfffu + lsb) >> 13));
    }
    if (abs < 0x33000000u) {
        return (unsigned short)sign;  // below 2^-25, half the smallest subnormal: zero
    }
    // subnormal: the value in units of 2^-24, rounded to nearest even
    const unsigned int exp = abs >> 23;                    // 102 .. 112
    const unsigned int mant = (abs & 0x7fffffu) | 0x800000u;
    const unsigned int shift = 126u - exp;                 // 14 .. 24
    unsigned int q = mant >> shift;
    const unsigned int rem = mant & ((1u << shift) - 1u);
    const unsigned int half = 1u << (shift - 1u);
    if (rem > half || (rem == half && (q & 1u) != 0)) {
        q++;
    }
    return (unsigned short)(sign | q);
}

// Whether the 16 bits of format fmt hold a finite value: the same as isfinite(half_load(h, fmt)), decided on
// the exponent bits (all ones is infinity or NaN in both formats).
static __host__ __device__ __forceinline__ bool half_is_finite(unsigned short h, int fmt) {
    const unsigned int exp_mask = fmt == STORAGE_BF16 ? 0x7f80u : 0x7c00u;
    return (h & exp_mask) != exp_mask;
}

// Element i of a tensor stored as float or as 16 bits of format fmt, widened to float, and the store back
// (rounded for 16 bits; fmt is ignored for float). Kernels templated on the element type use these, so one
// body serves both the FP32 kernel and its _half variant.
static __host__ __device__ __forceinline__ float load_element(const float* p, long long i, int) { return p[i]; }
static __host__ __device__ __forceinline__ float load_element(const unsigned short* p, long long i, int fmt) {
    return half_load(p[i], fmt);
}
static __host__ __device__ __forceinline__ void store_element(float* p, long long i, float v, int) { p[i] = v; }
static __host__ __device__ __forceinline__ void store_element(unsigned short* p, long long i, float v, int fmt) {
    p[i] = half_store(v, fmt);
}

#endif  // ALEXNET_COMMON_CUH
