// Adam, as torch.optim.Adam (module "optimizer", cuda/ptx/optimizer.ptx).
//
// Kernels (launcher: org.alexnetcuda.kernels.AdamKernels):
//   adam_begin_step(AdamState* state, double beta1, double beta2)
//       grid 1, block 1. t += 1; step_size = lr / (1 - beta1^t); bias2_sqrt = sqrt(1 - beta2^t).
//   adam_update(float* param, const float* grad, float* m, float* v, int n, const AdamState* state,
//               float beta1, float one_minus_beta1, float beta2, float one_minus_beta2,
//               float eps, float weight_decay)
//       block ELEMENTWISE_BLOCK (256), grid min(ceil(n / 256), ELEMENTWISE_MAX_GRID), no shared memory;
//       grid-stride, one element per thread per iteration, coalesced.
// One optimizer step is the two launches in this order on one stream, after backward.
//
// The whole model is one launch: parameters, gradients and the two moments each live in one contiguous
// block of n floats with the same layout (org.alexnetcuda.engine.ParameterStore), so element i of each
// block belongs to the same scalar parameter.
//
// Nothing that changes between steps is a kernel argument: the step count and the learning rate live in
// the device-resident AdamState, so a CUDA graph captured once replays every step unchanged; the host
// changes the learning rate by writing AdamState.lr.
//
// Why a companion kernel increments t rather than block 0 of adam_update: the blocks of one launch run in
// no defined order and cannot wait for each other, so other blocks could read t before or after block 0
// wrote it and use different bias corrections. A one-thread launch ahead of the update, on the same
// stream, is ordered before every block of it. It also evaluates the double-precision pow() once per step
// instead of once per thread (FP64 runs at 1/64 rate on sm_86/sm_89).
//
// Arithmetic, following PyTorch's single-tensor Adam, where the hyperparameters are Python (double)
// numbers: the bias corrections are computed in double and rounded to float once; the per-element update
// is float, with each Python scalar rounded to float, which is why the host passes (float)beta and
// (float)(1 - beta) computed in double rather than letting the kernel compute 1.0f - beta in float:
//   g = grad + weight_decay * p              (only when weight_decay != 0, as torch)
//   m = beta1 * m + (1 - beta1) * g
//   v = beta2 * v + ((1 - beta2) * g) * g    (addcmul: value * t1 * t2)
//   denom = sqrt(v) / bias2_sqrt + eps
//   p = p - (step_size * m) / denom          (addcdiv with value -step_size: value * t1 / t2)
//
// TODO(layers): re-check against org.alexnetcuda.engine.cpu.Adam on branch `layers` (not landed when this
// was written): same operation order and the same float/double roundings, so that the host build agrees
// with it bit for bit.
#include "common.cuh"

// Device-resident optimizer state, 24 bytes, little-endian, 8-byte aligned. The Java side writes and reads
// it by these offsets (org.alexnetcuda.kernels.AdamKernels.STATE_BYTES and the OFFSET_ constants).
struct AdamState {
    unsigned long long t;  // offset 0: completed steps; during step s (0-based) forward/backward, t == s
    double lr;             // offset 8: learning rate, written by the host
    float step_size;       // offset 16: lr / (1 - beta1^t), written by adam_begin_step
    float bias2_sqrt;      // offset 20: sqrt(1 - beta2^t), written by adam_begin_step
};

static __host__ __device__ __forceinline__ void adam_element(float* param, const float* grad, float* m, float* v,
                                                             long long i, float step_size, float bias2_sqrt,
                                                             float beta1, float one_minus_beta1, float beta2,
                                                             float one_minus_beta2, float eps, float weight_decay) {
    float p = param[i];
    float g = grad[i];
    if (weight_decay != 0.0f) {
        g = g + weight_decay * p;
    }
    float mi = beta1 * m[i] + one_minus_beta1 * g;
    float vi = beta2 * v[i] + (one_minus_beta2 * g) * g;
    float denom = sqrtf(vi) / bias2_sqrt + eps;
    m[i] = mi;
    v[i] = vi;
    param[i] = p - (step_size * mi) / denom;
}

extern "C" __global__ void adam_begin_step(AdamState* state, double beta1, double beta2) {
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        unsigned long long t = state->t + 1;
        state->t = t;
        double bias1 = 1.0 - pow(beta1, (double)t);
        double bias2 = 1.0 - pow(beta2, (double)t);
        state->step_size = (float)(state->lr / bias1);
        state->bias2_sqrt = (float)sqrt(bias2);
    }
}

extern "C" __global__ void adam_update(float* param, const float* grad, float* m, float* v, int n,
                                       const AdamState* state, float beta1, float one_minus_beta1, float beta2,
                                       float one_minus_beta2, float eps, float weight_decay) {
    const float step_size = state->step_size;
    const float bias2_sqrt = state->bias2_sqrt;
    GRID_STRIDE_LOOP(i, n) {
        adam_element(param, grad, m, v, i, step_size, bias2_sqrt, beta1, one_minus_beta1, beta2, one_minus_beta2,
                     eps, weight_decay);
    }
}
