// CUDA-on-the-CPU shim: lets g++ compile the project's .cu kernels unchanged and run them without a GPU.
//
// Included by common.cuh only when the compiler is not nvcc. It supplies:
//   - the function and variable qualifiers (__global__, __device__, __host__, __forceinline__, __shared__);
//   - dim3/uint3 and the built-ins threadIdx, blockIdx, blockDim, gridDim (thread_local, set per thread);
//   - __syncthreads();
//   - launch(grid, block, kernel, args...) and launch_unsynchronized(...), which run a grid on the CPU.
//
// Execution model. Blocks are independent in CUDA, so they are handed out to a few worker OS threads
// (at most one per core) and each worker runs whole blocks one at a time. __shared__ becomes
// `static thread_local`: one copy per worker, reused by the blocks that worker runs in turn, shared by
// the threads of the block it is running, exactly the visibility CUDA gives.
//
// Threads of a block:
//   - launch(): each CUDA thread is a coroutine (ucontext) on its worker's OS thread. A round-robin
//     scheduler runs every thread until it reaches __syncthreads() or returns; when all live threads
//     wait at the barrier it releases them. This is an exact barrier, deterministic (the threads of a
//     block always interleave in the same order), and detects barrier divergence (some threads returned
//     while others wait at a barrier: undefined behaviour on a GPU) by aborting with a message.
//   - launch_unsynchronized(): the fast path for kernels without barriers (all element-wise kernels):
//     the threads of a block run one after another as plain calls. A __syncthreads() reached in this
//     mode aborts with a message, so choosing the wrong mode cannot silently give wrong results.
// Memory is the host's: device pointers are host pointers. Warp-level primitives (shuffles, votes) and
// atomics are not provided; the kernels do not use them (see common.cuh).
//
// Environment: CUDA_HOST_SHIM_THREADS=k limits the worker threads (default: hardware threads, max 8).
#ifndef CUDA_HOST_SHIM_H
#define CUDA_HOST_SHIM_H

#ifdef __CUDACC__
#error "cuda_host_shim.h is for host compilers only; nvcc provides the real CUDA definitions"
#endif

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __shared__ static thread_local
#define __launch_bounds__(...)

struct uint3 {
    unsigned int x, y, z;
};

struct dim3 {
    unsigned int x, y, z;
    constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
};

inline thread_local uint3 threadIdx = {0, 0, 0};
inline thread_local uint3 blockIdx = {0, 0, 0};
inline thread_local dim3 blockDim = dim3(1, 1, 1);
inline thread_local dim3 gridDim = dim3(1, 1, 1);
constexpr int warpSize = 32;

namespace cuda_host_shim {

[[noreturn]] inline void fail(const char* what) {
    fprintf(stderr, "cuda_host_shim: %s (block %u,%u,%u thread %u,%u,%u)\n", what, blockIdx.x, blockIdx.y,
            blockIdx.z, threadIdx.x, threadIdx.y, threadIdx.z);
    fflush(stderr);
    abort();
}

// Called by KERNEL_REQUIRE (common.cuh) where the GPU would execute __trap().
[[noreturn]] inline void kernel_trap(const char* cond, const char* file, int line) {
    char msg[512];
    snprintf(msg, sizeof msg, "kernel trap: requirement '%s' failed at %s:%d", cond, file, line);
    fail(msg);
}

// The coroutines of the block a worker is running; null in unsynchronized mode.
struct BlockScheduler {
    static constexpr size_t kStackBytes = 128 * 1024;
    enum State { kReady, kAtBarrier, kDone };

    ucontext_t scheduler;
    std::vector<ucontext_t> contexts;
    std::vector<std::unique_ptr<char[]>> stacks;
    std::vector<State> states;
    const std::function<void()>* body = nullptr;
    unsigned int current = 0;
};

inline thread_local BlockScheduler* tl_scheduler = nullptr;

inline void set_thread_index(unsigned int t) {
    threadIdx.x = t % blockDim.x;
    threadIdx.y = (t / blockDim.x) % blockDim.y;
    threadIdx.z = t / (blockDim.x * blockDim.y);
}

inline void coroutine_entry() {
    BlockScheduler* s = tl_scheduler;
    (*s->body)();
    s->states[s->current] = BlockScheduler::kDone;
    // Returning resumes uc_link, the scheduler.
}

inline void barrier() {
    BlockScheduler* s = tl_scheduler;
    if (s == nullptr) {
        fail("__syncthreads() in a kernel started with launch_unsynchronized(); start it with launch()");
    }
    s->states[s->current] = BlockScheduler::kAtBarrier;
    if (swapcontext(&s->contexts[s->current], &s->scheduler) != 0) {
        fail("swapcontext failed");
    }
}

// Runs the threads of one block as coroutines, releasing them barrier by barrier.
inline void run_block_with_barriers(BlockScheduler& s, unsigned int threads) {
    if (s.contexts.size() < threads) {
        s.contexts.resize(threads);
        s.states.resize(threads);
        while (s.stacks.size() < threads) {
            s.stacks.emplace_back(new char[BlockScheduler::kStackBytes]);
        }
    }
    for (unsigned int t = 0; t < threads; t++) {
        ucontext_t& c = s.contexts[t];
        if (getcontext(&c) != 0) {
            fail("getcontext failed");
        }
        c.uc_stack.ss_sp = s.stacks[t].get();
        c.uc_stack.ss_size = BlockScheduler::kStackBytes;
        c.uc_link = &s.scheduler;
        makecontext(&c, coroutine_entry, 0);
        s.states[t] = BlockScheduler::kReady;
    }
    for (;;) {
        // One round: every live thread runs up to its next barrier or to its end.
        for (unsigned int t = 0; t < threads; t++) {
            if (s.states[t] == BlockScheduler::kDone) {
                continue;
            }
            s.states[t] = BlockScheduler::kReady;
            s.current = t;
            set_thread_index(t);
            if (swapcontext(&s.scheduler, &s.contexts[t]) != 0) {
                fail("swapcontext failed");
            }
        }
        unsigned int done = 0;
        for (unsigned int t = 0; t < threads; t++) {
            done += s.states[t] == BlockScheduler::kDone;
        }
        if (done == threads) {
            return;
        }
        if (done != 0) {
            fail("barrier divergence: some threads of the block returned while others wait in __syncthreads()");
        }
    }
}

inline unsigned int worker_count(unsigned long long blocks) {
    unsigned int hw = std::thread::hardware_concurrency();
    unsigned int k = hw == 0 ? 1 : std::min(hw, 8u);
    if (const char* env = getenv("CUDA_HOST_SHIM_THREADS")) {
        int v = atoi(env);
        if (v > 0) {
            k = (unsigned int)v;
        }
    }
    return (unsigned int)std::min<unsigned long long>(k, blocks);
}

inline void run_grid(dim3 grid, dim3 block, bool barriers, const std::function<void()>& body) {
    unsigned long long threads = (unsigned long long)block.x * block.y * block.z;
    unsigned long long blocks = (unsigned long long)grid.x * grid.y * grid.z;
    if (threads == 0 || threads > 1024 || block.z > 64) {
        fprintf(stderr, "cuda_host_shim: invalid block (%u,%u,%u)\n", block.x, block.y, block.z);
        abort();
    }
    if (blocks == 0 || grid.y > 65535 || grid.z > 65535) {
        fprintf(stderr, "cuda_host_shim: invalid grid (%u,%u,%u)\n", grid.x, grid.y, grid.z);
        abort();
    }
    std::atomic<unsigned long long> next{0};
    auto worker = [&]() {
        gridDim = grid;
        blockDim = block;
        BlockScheduler scheduler;
        scheduler.body = &body;
        tl_scheduler = barriers ? &scheduler : nullptr;
        for (unsigned long long b = next++; b < blocks; b = next++) {
            blockIdx.x = (unsigned int)(b % grid.x);
            blockIdx.y = (unsigned int)((b / grid.x) % grid.y);
            blockIdx.z = (unsigned int)(b / ((unsigned long long)grid.x * grid.y));
            if (barriers) {
                run_block_with_barriers(scheduler, (unsigned int)threads);
            } else {
                for (unsigned int t = 0; t < threads; t++) {
                    set_thread_index(t);
                    body();
                }
            }
        }
        tl_scheduler = nullptr;
    };
    unsigned int workers = worker_count(blocks);
    if (workers <= 1) {
        worker();
        return;
    }
    std::vector<std::thread> pool;
    for (unsigned int w = 0; w < workers; w++) {
        pool.emplace_back(worker);
    }
    for (std::thread& t : pool) {
        t.join();
    }
}

}  // namespace cuda_host_shim

inline void __syncthreads() { cuda_host_shim::barrier(); }

// Runs kernel<<<grid, block>>>(args...) on the CPU and returns when the grid is done (like a launch
// followed by a synchronize). Correct for every kernel, barriers included.
template <class... P, class... A>
void launch(dim3 grid, dim3 block, void (*kernel)(P...), A... args) {
    static_assert(sizeof...(P) == sizeof...(A), "argument count does not match the kernel's parameters");
    std::function<void()> body = [&]() { kernel(static_cast<P>(args)...); };
    cuda_host_shim::run_grid(grid, block, true, body);
}

// Faster form for kernels without __syncthreads() (aborts with a message if one is reached).
template <class... P, class... A>
void launch_unsynchronized(dim3 grid, dim3 block, void (*kernel)(P...), A... args) {
    static_assert(sizeof...(P) == sizeof...(A), "argument count does not match the kernel's parameters");
    std::function<void()> body = [&]() { kernel(static_cast<P>(args)...); };
    cuda_host_shim::run_grid(grid, block, false, body);
}

#endif  // CUDA_HOST_SHIM_H
