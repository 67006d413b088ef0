// Dropout forward and backward with a counter-based mask (module "dropout", cuda/ptx/dropout.ptx).
//
// Kernels (launcher: org.alexnetcuda.kernels.DropoutKernels):
//   dropout_forward (float* y, const float* x, int n, float p, unsigned long long key,
//                    const unsigned long long* step)            y = keep ? x * scale : 0; y == x allowed
//   dropout_backward(float* dx, const float* dy, int n, float p, unsigned long long key,
//                    const unsigned long long* step)            dx = keep ? dy * scale : 0; dx == dy allowed
//   dropout_forward_half (unsigned short* y, const unsigned short* x, int n, float p, unsigned long long key,
//                         const unsigned long long* step, int fmt)
//   dropout_backward_half(unsigned short* dx, const unsigned short* dy, int n, float p, unsigned long long key,
//                         const unsigned long long* step, int fmt)
//       the same on 16-bit tensors of format fmt (common.cuh: 1 fp16, 2 bf16): the same mask and the same float
//       computation on the widened element, stored rounded to nearest even; in place allowed.
// with scale = 1.0f / (1.0f - p) in float and
//   keep_i = philox_uniform(philox_word(key, *step, i)) >= p         (layout in philox.cuh)
// Launch shape (all four): block ELEMENTWISE_BLOCK (256), grid min(ceil(n / 256), ELEMENTWISE_MAX_GRID), no shared memory;
// grid-stride loop, one element per thread per iteration, coalesced.
//
// This is org.alexnetcuda.math.DropoutMath bit for bit: there keep_i = CounterRng.uniform(key, step, i) >= p
// with key = DropoutMath.layerKey(seed, layerIndex) = seed ^ (layerIndex * 0x9E3779B97F4A7C15), so the caller
// passes that key (each dropout layer its own) and both engines drop the same units. The keep probability is
// 1 - p to within the 2^-24 resolution of the uniform. The mask depends only on (key, step, i), so backward
// recomputes it and nothing is stored. Dropped elements are written as 0 without multiplying by the scale.
//
// The step is read from device memory so that a captured CUDA graph replays with the current step. It is
// the 0-based optimizer step that this forward/backward belongs to (Pass.step on the CPU): pass the Adam
// state (optimizer.cu: its field t at offset 0 counts the completed steps, and adam_begin_step increments it
// only after backward), or any device u64.
#include "common.cuh"
#include "philox.cuh"

static __host__ __device__ __forceinline__ float dropout_value(float x, float u, float p, float scale) {
    return u >= p ? x * scale : 0.0f;
}

// One body for float (T = float, fmt ignored) and 16-bit (T = unsigned short) tensors.
template <class T>
static __host__ __device__ __forceinline__ void dropout_apply(T* out, const T* in, int n, float p,
                                                              unsigned long long key, unsigned long long step,
                                                              int fmt) {
    const float scale = 1.0f / (1.0f - p);
    GRID_STRIDE_LOOP(i, n) {
        float u = philox_uniform(philox_word(key, step, (unsigned long long)i));
        store_element(out, i, dropout_value(load_element(in, i, fmt), u, p, scale), fmt);
    }
}

extern "C" __global__ void dropout_forward(float* y, const float* x, int n, float p, unsigned long long key,
                                           const unsigned long long* step) {
    dropout_apply(y, x, n, p, key, *step, STORAGE_F32);
}

extern "C" __global__ void dropout_backward(float* dx, const float* dy, int n, float p, unsigned long long key,
                                            const unsigned long long* step) {
    dropout_apply(dx, dy, n, p, key, *step, STORAGE_F32);
}

extern "C" __global__ void dropout_forward_half(unsigned short* y, const unsigned short* x, int n, float p,
                                                unsigned long long key, const unsigned long long* step, int fmt) {
    KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16);
    dropout_apply(y, x, n, p, key, *step, fmt);
}

extern "C" __global__ void dropout_backward_half(unsigned short* dx, const unsigned short* dy, int n, float p,
                                                 unsigned long long key, const unsigned long long* step, int fmt) {
    KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16);
    dropout_apply(dx, dy, n, p, key, *step, fmt);
}
