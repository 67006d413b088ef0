// Dropout forward and backward with a counter-based mask (module "dropout", cuda/ptx/dropout.ptx).
//
// Kernels (launcher: org.alexnetcuda.kernels.DropoutKernels):
//   dropout_forward (float* y, const float* x, int n, float p, unsigned long long seed,
//                    const unsigned long long* step)            y = keep ? x * scale : 0; y == x allowed
//   dropout_backward(float* dx, const float* dy, int n, float p, unsigned long long seed,
//                    const unsigned long long* step)            dx = keep ? dy * scale : 0; dx == dy allowed
// with scale = 1 / (1 - p) computed in float.
// Launch shape: block ELEMENTWISE_BLOCK (256), grid min(ceil(ceil(n / 4) / 256), ELEMENTWISE_MAX_GRID),
// no shared memory. Each thread handles a group of 4 consecutive elements (one Philox call gives their
// 4 words); groups are grid-strided. A warp covers 128 consecutive elements (512 bytes): each of its four
// load instructions touches the same four cache lines, which L1 serves after the first.
//
// The mask: element i is kept iff philox_uniform(word i % 4 of Philox-4x32-10(counter (i / 4, step),
// key seed)) >= p (layout in philox.cuh). keep therefore has probability 1 - p (exactly, when p is a
// multiple of 2^-24), and the mask depends only on (seed, step, i): backward recomputes it, nothing is
// stored. Two dropout layers must be given different seeds, or they would drop the same positions.
//
// The step is read from device memory so that a captured CUDA graph replays with the current step. It
// is the 0-based optimizer step that this forward/backward belongs to: pass the Adam state (optimizer.cu,
// whose field t at offset 0 counts the completed steps, and which adam_begin_step increments only after
// backward), or any device u64.
//
// TODO(layers): the mask must be bit-identical to org.alexnetcuda.engine.cpu.CounterRng/Dropout on
// branch `layers`, which had not landed when this was written; re-check the key/counter layout, the word
// to uniform conversion, the keep comparison (u >= p) and the scale (x * (1 / (1 - p)) in float) against
// them, and make DropoutKernelTest compare with them.
#include "common.cuh"
#include "philox.cuh"

// x times the keep scale, or 0 when dropped. Dropped elements never multiply by the scale, so p == 1
// gives zeros, not 0 * inf.
static __host__ __device__ __forceinline__ float dropout_value(float x, float u, float p, float scale) {
    return u >= p ? x * scale : 0.0f;
}

static __host__ __device__ __forceinline__ void dropout_apply(float* out, const float* in, int n, float p,
                                                              unsigned long long seed, unsigned long long step) {
    const float scale = 1.0f / (1.0f - p);
    const long long groups = ((long long)n + 3) / 4;
    GRID_STRIDE_LOOP(g, groups) {
        philox4x32 r = philox_group(seed, step, (unsigned long long)g);
        long long base = g * 4;
        for (int k = 0; k < 4; k++) {
            long long i = base + k;
            if (i < n) {
                out[i] = dropout_value(in[i], philox_uniform(r.w[k]), p, scale);
            }
        }
    }
}

extern "C" __global__ void dropout_forward(float* y, const float* x, int n, float p, unsigned long long seed,
                                           const unsigned long long* step) {
    dropout_apply(y, x, n, p, seed, *step);
}

extern "C" __global__ void dropout_backward(float* dx, const float* dy, int n, float p, unsigned long long seed,
                                            const unsigned long long* step) {
    dropout_apply(dx, dy, n, p, seed, *step);
}
