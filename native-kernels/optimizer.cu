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
// Mixed precision (16-bit parameters and gradients for the forward and backward, FP32 master weights here):
//   adam_begin_step_mixed(AdamState* state, const LossScale* scale, double beta1, double beta2)
//       grid 1, block 1. adam_begin_step, except that it does nothing when scale->found_inf != 0.
//   adam_update_mixed(float* param, unsigned short* param_half, const unsigned short* grad, float* m, float* v,
//                     int n, const AdamState* state, const LossScale* scale, float beta1, float one_minus_beta1,
//                     float beta2, float one_minus_beta2, float eps, float weight_decay, int fmt)
//       launch shape as adam_update. Nothing when scale->found_inf != 0 (the step is skipped, as GradScaler.step
//       skips optimizer.step); otherwise per element g = half_load(grad[i]) * scale->inv_scale (one float
//       multiply by the float reciprocal, as PyTorch's unscale_), then exactly adam_update's float update of the
//       FP32 master param/m/v, then param_half[i] = half_store(param[i]) (the 16-bit copy the next forward uses).
//       grad and param_half have format fmt (common.cuh: 1 fp16, 2 bf16).
// A mixed-precision step is grads_check_finite (precision.cu) over the gradients, then these two, then
// loss_scale_update (precision.cu), which clears found_inf: all on one stream, in this order.
//
// The whole model is one launch: parameters, gradients and the two moments each live in one contiguous
// block of n floats with the same layout (org.alexnetcuda.tensor.ParameterStore), so element i of each
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
// Arithmetic: org.alexnetcuda.math.Adam bit for bit (that class matches torch 1.13's CPU Adam,
// _single_tensor_adam, bit for bit on a PyTorch fixture). torch holds the hyperparameters as Python
// (double) numbers:
//   - the bias corrections are computed in double, here by adam_begin_step, and rounded to float once
//     (CUDA's pow() may differ from Java's Math.pow by an ulp of the double; the rounding to float absorbs
//     that except in a vanishing fraction of steps);
//   - each hyperparameter is rounded to float where it meets a tensor, 1 - beta included, so the host
//     passes (float)beta and (float)(1 - beta) computed in double; 1.0f - (float)beta would differ.
// Per element, in float, with fused multiply-adds exactly where PyTorch's vectorised CPU kernels have them
// (fmaf is correctly rounded on the GPU, in glibc and in Java's Math.fma; --fmad=false stops the compiler
// from fusing anything else):
//   g     = fma(p, weight_decay, grad)            only when weight_decay != 0, as torch
//   m     = fma(g, 1 - beta1, m * beta1)          exp_avg.mul_(beta1).add_(g, alpha=1-beta1)
//   v     = fma((1 - beta2) * g, g, v * beta2)    exp_avg_sq.mul_(beta2).addcmul_(g, g, value=1-beta2)
//   denom = sqrt(v) / bias2_sqrt + eps            (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
//   p     = p + (-step_size * m) / denom          param.addcdiv_(m, denom, value=-step_size)
#include "common.cuh"
#include "loss_scale.cuh"

// Device-resident optimizer state, 24 bytes, little-endian, 8-byte aligned. The Java side writes and reads
// it by these offsets (org.alexnetcuda.kernels.AdamKernels.STATE_BYTES and the OFFSET_ constants).
struct AdamState {
    unsigned long long t;  // offset 0: completed steps; during step s (0-based) forward/backward, t == s
    double lr;             // offset 8: learning rate, written by the host
    float step_size;       // offset 16: lr / (1 - beta1^t), written by adam_begin_step
    float bias2_sqrt;      // offset 20: sqrt(1 - beta2^t), written by adam_begin_step
};

// The update of element i with its gradient g (already unscaled, for mixed precision).
static __host__ __device__ __forceinline__ void adam_element(float* param, float g, float* m, float* v, long long i,
                                                             float step_size, float bias2_sqrt, float beta1,
                                                             float one_minus_beta1, float beta2,
                                                             float one_minus_beta2, float eps, float weight_decay) {
    float p = param[i];
    if (weight_decay != 0.0f) {
        g = fmaf(p, weight_decay, g);
    }
    float mi = fmaf(g, one_minus_beta1, m[i] * beta1);
    float vi = fmaf(one_minus_beta2 * g, g, v[i] * beta2);
    float denom = sqrtf(vi) / bias2_sqrt + eps;
    m[i] = mi;
    v[i] = vi;
    param[i] = p + (-step_size * mi) / denom;
}

static __host__ __device__ __forceinline__ void adam_advance(AdamState* state, double beta1, double beta2) {
    unsigned long long t = state->t + 1;
    state->t = t;
    double bias1 = 1.0 - pow(beta1, (double)t);
    double bias2 = 1.0 - pow(beta2, (double)t);
    state->step_size = (float)(state->lr / bias1);
    state->bias2_sqrt = (float)sqrt(bias2);
}

extern "C" __global__ void adam_begin_step(AdamState* state, double beta1, double beta2) {
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        adam_advance(state, beta1, beta2);
    }
}

extern "C" __global__ void adam_begin_step_mixed(AdamState* state, const LossScale* scale, double beta1,
                                                 double beta2) {
    if (blockIdx.x == 0 && threadIdx.x == 0 && scale->found_inf == 0) {
        adam_advance(state, beta1, beta2);
    }
}

extern "C" __global__ void adam_update(float* param, const float* grad, float* m, float* v, int n,
                                       const AdamState* state, float beta1, float one_minus_beta1, float beta2,
                                       float one_minus_beta2, float eps, float weight_decay) {
    const float step_size = state->step_size;
    const float bias2_sqrt = state->bias2_sqrt;
    GRID_STRIDE_LOOP(i, n) {
        adam_element(param, grad[i], m, v, i, step_size, bias2_sqrt, beta1, one_minus_beta1, beta2,
                     one_minus_beta2, eps, weight_decay);
    }
}

extern "C" __global__ void adam_update_mixed(float* param, unsigned short* param_half, const unsigned short* grad,
                                             float* m, float* v, int n, const AdamState* state,
                                             const LossScale* scale, float beta1, float one_minus_beta1, float beta2,
                                             float one_minus_beta2, float eps, float weight_decay, int fmt) {
    KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16);
    if (scale->found_inf != 0) {
        return;
    }
    const float inv_scale = scale->inv_scale;
    const float step_size = state->step_size;
    const float bias2_sqrt = state->bias2_sqrt;
    GRID_STRIDE_LOOP(i, n) {
        float g = half_load(grad[i], fmt) * inv_scale;
        adam_element(param, g, m, v, i, step_size, bias2_sqrt, beta1, one_minus_beta1, beta2, one_minus_beta2, eps,
                     weight_decay);
        param_half[i] = half_store(param[i], fmt);
    }
}
