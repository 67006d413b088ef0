// Bias gradient of the fully connected layers (module "linear", cuda/ptx/linear.ptx).
//
// Kernel (launcher: org.alexnetcuda.kernels.LinearKernels):
//   bias_grad_accumulate(float* db, const float* dy, int rows, int cols)
//       db[j] += sum_i dy[i * cols + j] for dY [rows x cols] row-major (rows = batch, cols = out features).
//       Block ELEMENTWISE_BLOCK (256), grid min(ceil(cols / 256), ELEMENTWISE_MAX_GRID), no shared memory:
//       one thread per column, grid-strided over columns, each summing its column top to bottom. At every
//       row the threads of a warp read 32 consecutive floats, so the loads coalesce.
//
// Why our kernel rather than cuBLAS gemv with a vector of ones: the sum runs in a fixed order (row 0 first,
// starting from the existing db[j], one float add per row), so the result is deterministic and the same,
// bit for bit, as the CPU engine's float loop that accumulates into the gradient; cuBLAS leaves its
// reduction order unspecified and may change it between versions and GPUs. It also needs no ones vector
// and no extra cuBLAS call per layer. The cost is the same single pass over dY (1 MiB for 64 x 4096) that
// gemv makes; the layer's time is dominated by its two GEMMs anyway.
//
// Accumulates (+=) like every parameter gradient in this project (org.alexnetcuda.engine.cpu.CpuLayer):
// the engine zeroes the gradient block before each backward pass.
#include "common.cuh"

// One body for float (T = float, fmt ignored) and 16-bit (T = unsigned short) tensors.
template <class T>
static __host__ __device__ __forceinline__ void bias_grad_columns(T* db, const T* dy, int rows, int cols, int fmt) {
    GRID_STRIDE_LOOP(j, cols) {
        float acc = load_element(db, j, fmt);
        const T* column = dy + j;
        for (int i = 0; i < rows; i++) {
            acc += load_element(column, (long long)i * cols, fmt);
        }
        store_element(db, j, acc, fmt);
    }
}

extern "C" __global__ void bias_grad_accumulate(float* db, const float* dy, int rows, int cols) {
    bias_grad_columns(db, dy, rows, cols, STORAGE_F32);
}

extern "C" __global__ void bias_grad_accumulate_half(unsigned short* db, const unsigned short* dy, int rows, int cols,
                                                     int fmt) {
    KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16);
    bias_grad_columns(db, dy, rows, cols, fmt);
}
