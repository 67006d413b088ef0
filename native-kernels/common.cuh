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

#endif  // ALEXNET_COMMON_CUH
