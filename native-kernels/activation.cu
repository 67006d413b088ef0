// ReLU forward and backward (module "activation", cuda/ptx/activation.ptx).
//
// Kernels (launcher: org.alexnetcuda.kernels.ReluKernels):
//   relu_forward (float* y, const float* x, int n)                 y = max(x, 0); y == x allowed
//   relu_backward(float* dx, const float* dy, const float* y, int n) dx = y > 0 ? dy : 0; dx == dy allowed
//   relu_forward_half (unsigned short* y, const unsigned short* x, int n, int fmt)
//   relu_backward_half(unsigned short* dx, const unsigned short* dy, const unsigned short* y, int n, int fmt)
//       the same on 16-bit tensors of format fmt (common.cuh: 1 fp16, 2 bf16): each element widened, the same
//       float function, stored rounded (ReLU's result is one of its inputs or 0, so the rounding is exact
//       except for a NaN, which stays a quiet NaN). In place allowed as for the float kernels.
// Launch shape (all four): block ELEMENTWISE_BLOCK (256), grid min(ceil(n / 256), ELEMENTWISE_MAX_GRID), no
// shared memory; grid-stride loop, one element per thread per iteration, coalesced.
//
// Backward reads the output y, not the input x, so that forward may run in place (as the notebook's
// nn.ReLU(inplace=True) does) and x need not be kept. y > 0 exactly when x > 0, so the mask is the same.
// Both are org.alexnetcuda.math.ReluMath bit for bit.
#include "common.cuh"

// x <= 0 ? 0 : x, as PyTorch's threshold: NaN propagates (the comparison is false), -0 becomes +0.
static __host__ __device__ __forceinline__ float relu_value(float x) { return x <= 0.0f ? 0.0f : x; }

// The gradient passes where y > 0 and is 0 elsewhere, NaN y included (as org.alexnetcuda.math.ReluMath).
static __host__ __device__ __forceinline__ float relu_gradient(float y, float dy) { return y > 0.0f ? dy : 0.0f; }

extern "C" __global__ void relu_forward(float* y, const float* x, int n) {
    GRID_STRIDE_LOOP(i, n) { y[i] = relu_value(x[i]); }
}

extern "C" __global__ void relu_backward(float* dx, const float* dy, const float* y, int n) {
    GRID_STRIDE_LOOP(i, n) { dx[i] = relu_gradient(y[i], dy[i]); }
}

extern "C" __global__ void relu_forward_half(unsigned short* y, const unsigned short* x, int n, int fmt) {
    KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16);
    GRID_STRIDE_LOOP(i, n) { y[i] = half_store(relu_value(half_load(x[i], fmt)), fmt); }
}

extern "C" __global__ void relu_backward_half(unsigned short* dx, const unsigned short* dy, const unsigned short* y,
                                              int n, int fmt) {
    KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16);
    GRID_STRIDE_LOOP(i, n) { dx[i] = half_store(relu_gradient(half_load(y[i], fmt), half_load(dy[i], fmt)), fmt); }
}
