// Mixed precision: conversions between FP32 and 16-bit tensors, and the dynamic loss scale
// (module "precision", cuda/ptx/precision.ptx).
//
// Kernels (launcher: org.alexnetcuda.kernels.MixedPrecisionKernels); fmt is the 16-bit format
// (common.cuh: 1 IEEE fp16, 2 bfloat16; anything else traps), conversions are half_load/half_store
// (exact widening; rounding to nearest even, bit for bit org.alexnetcuda.tensor.StorageFormat):
//   cast_to_half (unsigned short* dst, const float* src, int n, int fmt)        dst = half_store(src)
//   cast_to_float(float* dst, const unsigned short* src, int n, int fmt)        dst = half_load(src)
//   cast_to_half_scaled(unsigned short* dst, const float* src, int n, const LossScale* scale, int fmt)
//       dst = half_store(src * scale->scale)   (one float multiply: a scaled loss gradient in 16 bits)
//   grads_check_finite(const unsigned short* grad, int n, LossScale* scale, int fmt)
//       scale->found_inf = 1 if any of the n elements is an infinity or NaN; never clears it, so one flag
//       collects the check of several gradient blocks (launch it once per block).
//   The four above: block ELEMENTWISE_BLOCK (256), grid min(ceil(n / 256), ELEMENTWISE_MAX_GRID), no shared
//   memory; grid-stride loop, one element per thread per iteration, coalesced.
//   loss_scale_update(LossScale* s, float growth_factor, float backoff_factor, int growth_interval)
//       grid 1, block 1. torch.cuda.amp.GradScaler.update (torch's _amp_update_scale_ kernel):
//         found_inf: scale *= backoff_factor; good_steps = 0; skipped += 1
//         otherwise: good_steps += 1; once good_steps >= growth_interval: scale *= growth_factor (kept only
//                    if the product is finite, as torch never grows the scale to infinity), good_steps = 0
//       then inv_scale = (float)(1.0 / (double)scale) and found_inf = 0 for the next step.
//
// One mixed-precision training step on one stream (nothing on the host in between, so a CUDA graph captures
// it whole): forward and backward in 16 bits with the loss gradient scaled (cast_to_half_scaled, or the
// scale applied where the loss gradient is made), grads_check_finite over the 16-bit gradients, then
// optimizer.cu's adam_begin_step_mixed and adam_update_mixed (which do nothing when found_inf is set: the
// step is skipped, as GradScaler.step skips optimizer.step), then loss_scale_update, which must come last
// because it clears found_inf. The 16-bit weights of the next forward are written by adam_update_mixed from
// the FP32 master weights (cast_to_half makes the first copy).
//
// Why a plain store to found_inf and not an atomic: every thread that stores writes the same value 1 and no
// thread reads it in this launch, so the result is 1 whatever the order (common.cuh: no atomics), and the
// kernel needs no reduction. The flag is read by the kernels of later launches on the same stream.
#include "common.cuh"
#include "loss_scale.cuh"

extern "C" __global__ void cast_to_half(unsigned short* dst, const float* src, int n, int fmt) {
    KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16);
    GRID_STRIDE_LOOP(i, n) { dst[i] = half_store(src[i], fmt); }
}

extern "C" __global__ void cast_to_float(float* dst, const unsigned short* src, int n, int fmt) {
    KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16);
    GRID_STRIDE_LOOP(i, n) { dst[i] = half_load(src[i], fmt); }
}

extern "C" __global__ void cast_to_half_scaled(unsigned short* dst, const float* src, int n, const LossScale* scale,
                                               int fmt) {
    KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16);
    const float s = scale->scale;
    GRID_STRIDE_LOOP(i, n) { dst[i] = half_store(src[i] * s, fmt); }
}

extern "C" __global__ void grads_check_finite(const unsigned short* grad, int n, LossScale* scale, int fmt) {
    KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16);
    GRID_STRIDE_LOOP(i, n) {
        if (!half_is_finite(grad[i], fmt)) {
            scale->found_inf = 1;
        }
    }
}

extern "C" __global__ void loss_scale_update(LossScale* s, float growth_factor, float backoff_factor,
                                             int growth_interval) {
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        float scale = s->scale;
        if (s->found_inf != 0) {
            scale = scale * backoff_factor;
            s->good_steps = 0;
            s->skipped = s->skipped + 1;
        } else {
            int good = s->good_steps + 1;
            if (good >= growth_interval) {
                const float grown = scale * growth_factor;
                if ((float_bits(grown) & 0x7f800000u) != 0x7f800000u) {  // finite
                    scale = grown;
                }
                good = 0;
            }
            s->good_steps = good;
        }
        s->scale = scale;
        s->inv_scale = (float)(1.0 / (double)scale);
        s->found_inf = 0;
    }
}
