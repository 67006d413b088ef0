// The device-resident dynamic loss scale of mixed-precision training (torch.cuda.amp.GradScaler's state), shared
// by precision.cu, which checks the gradients and updates the scale, and optimizer.cu, whose mixed-precision
// Adam skips the step when the check found an overflow.
#ifndef ALEXNET_LOSS_SCALE_CUH
#define ALEXNET_LOSS_SCALE_CUH

// 24 bytes, little-endian, 8-byte aligned. The Java side writes and reads it by these offsets
// (org.alexnetcuda.kernels.MixedPrecisionKernels.LOSS_SCALE_BYTES and the OFFSET_ constants).
struct LossScale {
    float scale;                   // offset 0: the factor the loss (and so every gradient) is multiplied by
    float inv_scale;               // offset 4: (float)(1.0 / (double)scale), what the gradients are unscaled by
    int found_inf;                 // offset 8: non-zero when this step's gradients hold an inf or NaN
    int good_steps;                // offset 12: consecutive steps without one since the scale last changed
    unsigned long long skipped;    // offset 16: optimizer steps skipped because of an inf or NaN, in total
};

#endif  // ALEXNET_LOSS_SCALE_CUH
