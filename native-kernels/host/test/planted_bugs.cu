// Test-only kernels with planted bugs that a GPU would expose but a naive sequential CPU run would not,
// one per check of host/cuda_host_shim.h, and a correct control kernel. Built only into
// build/kernel-runner-planted (make -C native-kernels host-planted), never into the PTX or the shipped
// kernel-runner; HostShimChecksTest runs them and asserts each bug is caught.
//
//   planted_shared_read_before_write(float* out, const float* x)   block 64, grid any, x: grid*64 floats
//       Adds x into shared memory that it never initialises (it "resets it for the next block" at the end,
//       as a CPU port would), so it relies on shared memory starting at zero. out[b] = sum of block b's x.
//   planted_divergent_barrier_loop(float* out, const float* x)     block 64, grid any
//       A reduction whose loop trip count depends on the thread: threads call __syncthreads() a different
//       number of times.
//   planted_divergent_barrier_sites(float* out, const float* x)    block 64, grid any
//       The two halves of the block wait at different __syncthreads() calls, equally often.
//   planted_block_chain(int* out)                                  block 1, grid n
//       out[b] = out[b - 1] + 1: block b reads what block b - 1 of the same launch writes, so the result
//       is 1, 2, ..., n only if blocks run in index order.
//   control_block_sum(int* out, const int* x)                      block 64 (power of two), grid any
//       Correct: a shared-memory tree reduction of each block's x into out[b].
#include "common.cuh"

#define PLANTED_BLOCK 64

extern "C" __global__ void planted_shared_read_before_write(float* out, const float* x) {
    __shared__ float s_acc[PLANTED_BLOCK];
    const unsigned int tid = threadIdx.x;
    KERNEL_REQUIRE(blockDim.x == PLANTED_BLOCK);
    s_acc[tid] += x[(long long)blockIdx.x * PLANTED_BLOCK + tid];  // BUG: s_acc[tid] was never written
    __syncthreads();
    if (tid == 0) {
        float total = 0.0f;
        for (int i = 0; i < PLANTED_BLOCK; i++) {
            total += s_acc[i];
        }
        out[blockIdx.x] = total;
    }
    __syncthreads();
    s_acc[tid] = 0.0f;  // "for the next block": meaningless on a GPU, where a block's shared memory is fresh
}

extern "C" __global__ void planted_divergent_barrier_loop(float* out, const float* x) {
    __shared__ float s_sum[PLANTED_BLOCK];
    const unsigned int tid = threadIdx.x;
    s_sum[tid] = x[(long long)blockIdx.x * PLANTED_BLOCK + tid];
    __syncthreads();
    // BUG: the loop condition includes tid < stride, so a thread leaves the loop (and stops calling
    // __syncthreads) as soon as it stops adding; the right loop runs every stride and tests tid inside.
    for (unsigned int stride = PLANTED_BLOCK / 2; stride > 0 && tid < stride; stride /= 2) {
        s_sum[tid] += s_sum[tid + stride];
        __syncthreads();
    }
    if (tid == 0) {
        out[blockIdx.x] = s_sum[0];
    }
}

extern "C" __global__ void planted_divergent_barrier_sites(float* out, const float* x) {
    __shared__ float s_val[PLANTED_BLOCK];
    const unsigned int tid = threadIdx.x;
    const float v = x[(long long)blockIdx.x * PLANTED_BLOCK + tid];
    // BUG: the halves wait at different __syncthreads() calls (the same number of times).
    if (tid < PLANTED_BLOCK / 2) {
        s_val[tid] = v;
        __syncthreads();
    } else {
        __syncthreads();
        s_val[tid] = v;
    }
    __syncthreads();
    if (tid == 0) {
        float total = 0.0f;
        for (int i = 0; i < PLANTED_BLOCK; i++) {
            total += s_val[i];
        }
        out[blockIdx.x] = total;
    }
}

extern "C" __global__ void planted_block_chain(int* out) {
    const unsigned int b = blockIdx.x;
    out[b] = b == 0 ? 1 : out[b - 1] + 1;  // BUG: block b - 1 may not have run yet (or may be running)
}

extern "C" __global__ void control_block_sum(int* out, const int* x) {
    __shared__ int s_sum[PLANTED_BLOCK];
    const unsigned int tid = threadIdx.x;
    KERNEL_REQUIRE(blockDim.x <= PLANTED_BLOCK && (blockDim.x & (blockDim.x - 1)) == 0);
    s_sum[tid] = x[(long long)blockIdx.x * blockDim.x + tid];
    __syncthreads();
    for (unsigned int stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (tid < stride) {
            s_sum[tid] += s_sum[tid + stride];
        }
        __syncthreads();
    }
    if (tid == 0) {
        out[blockIdx.x] = s_sum[0];
    }
}
