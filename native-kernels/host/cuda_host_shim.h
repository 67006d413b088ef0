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
// `static thread_local`: one copy per worker, reused by the blocks that worker runs in turn (poisoned
// before each, check 1 below), shared by the threads of the block it is running, exactly the visibility
// CUDA gives.
//
// Threads of a block:
//   - launch(): each CUDA thread is a coroutine (ucontext) on its worker's OS thread. A round-robin
//     scheduler runs every thread until it reaches __syncthreads() or returns; when all live threads
//     wait at the barrier it releases them. This is an exact barrier, deterministic (the threads of a
//     block always interleave in the same order).
//   - launch_unsynchronized(): the fast path for kernels without barriers (all element-wise kernels):
//     the threads of a block run one after another as plain calls. A __syncthreads() reached in this
//     mode aborts with a message, so choosing the wrong mode cannot silently give wrong results.
// Memory is the host's: device pointers are host pointers. Warp-level primitives (shuffles, votes) and
// atomics are not provided; the kernels do not use them (see common.cuh).
//
// Checks for what a GPU would get wrong but a sequential CPU run gets right by luck:
//   1. Shared memory starts as garbage. A CPU `static thread_local` starts at zero and keeps the previous
//      block's values, so a kernel that reads shared memory before writing it would pass here and fail on
//      a GPU. Every __shared__ variable is therefore placed in one thread-local section (see __shared__
//      below), and the whole section is filled with kSharedPoison, a NaN for float, double, fp16 and bf16
//      and a large negative int, before each block starts.
//   2. Barrier divergence (undefined behaviour on a GPU: the block hangs or mis-synchronises). Each
//      thread's __syncthreads() arrivals are counted with the source line of the call; a release where
//      the waiting threads are at different __syncthreads() calls, or where some threads have returned
//      while others wait (so their arrival counts differ), aborts naming the kernel, the block, two
//      disagreeing threads, their arrival counts and their lines.
//   3. Blocks run in any order on a GPU, and concurrently. Here they start in a seeded pseudo-random
//      order (a permutation of the grid), on a configurable number of workers, so a kernel that reads what
//      another block of the same launch writes gives different results for different seeds instead of
//      passing because blocks ran in index order.
// Every abort message ends with the schedule (seed and worker count) so that a failure reproduces.
//
// Environment:
//   CUDA_HOST_SHIM_THREADS=k  worker threads (default: hardware threads, max 8; never more than blocks).
//   CUDA_HOST_SHIM_SEED=s     block order (decimal or 0x hex; default 1; 0 runs blocks in index order,
//                             the old behaviour, useful only to show that a test depends on the order).
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
#include <string.h>
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
#define __launch_bounds__(...)

// __shared__: a per-worker `static thread_local`, placed in the thread-local section "cuda_host_shared".
// A macro in front of a declaration cannot learn the variable's name or size, so the shim finds shared
// memory through the linker instead: GNU ld gives a section whose name is a C identifier the symbols
// __start_<name> and __stop_<name>, and for a TLS section these resolve per thread, so
// [__start_cuda_host_shared, __stop_cuda_host_shared) is exactly the current worker's copy of every
// __shared__ variable of every kernel (only one kernel runs on a worker at a time, so poisoning all of it
// at a block start is correct). check_shared_section() verifies this at the first launch and aborts if a
// toolchain lays it out otherwise.
//   `used` is defensive: the section is written behind the compiler's back, so GCC must not assume it
//   sees every access to a __shared__ variable (for a variable it proves never written it could fold
//   reads to 0, bypassing the poison; GCC 12 at -O2/-O3/LTO does not, `used` rules it out).
// Limits: `extern __shared__` (dynamic shared memory) does not compile here (`extern` and `static`
// conflict); no kernel uses it. A __shared__ variable in an inline or template function with external
// linkage is a COMDAT and conflicts with the section ("section type conflict"): declare shared arrays in
// the kernel or in a `static` helper, as the project's kernels do.
#define __shared__ __attribute__((section("cuda_host_shared"), used)) static thread_local

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

extern __thread char __start_cuda_host_shared[];
extern __thread char __stop_cuda_host_shared[];

namespace cuda_host_shim {

// A shared variable owned by the shim: it guarantees that the section exists (so the __start/__stop
// symbols resolve in a program without kernels that use shared memory) and serves as the probe of
// check_shared_section().
__shared__ unsigned char shared_probe;

// Poison for shared memory, repeated every 16 bits: as float (0xfffdfffd), double (0xfffdfffdfffdfffd),
// fp16 and bf16 (0xfffd) it is a quiet NaN, as int it is -131075, so a value read from shared memory
// before any thread wrote it poisons whatever it flows into instead of passing as a zero.
constexpr unsigned short kSharedPoison = 0xfffd;

// The launch being run, for messages: the kernel's name (set by the caller with KernelName; "kernel"
// otherwise) and the schedule that reproduces it.
struct Schedule {
    const char* kernel = "kernel";
    unsigned long long seed = 1;
    unsigned int workers = 1;
};

inline Schedule& current_schedule() {
    static Schedule s;
    return s;
}

// Names the kernel of the launches in its scope (kernel-runner sets it), for failure messages.
struct KernelName {
    const char* previous;
    explicit KernelName(const char* name) : previous(current_schedule().kernel) { current_schedule().kernel = name; }
    ~KernelName() { current_schedule().kernel = previous; }
    KernelName(const KernelName&) = delete;
    KernelName& operator=(const KernelName&) = delete;
};

[[noreturn]] inline void abort_with(const char* what) {
    const Schedule& s = current_schedule();
    fprintf(stderr,
            "cuda_host_shim: %s\n"
            "cuda_host_shim: kernel %s, grid (%u,%u,%u), block (%u,%u,%u); to reproduce: "
            "CUDA_HOST_SHIM_SEED=%llu CUDA_HOST_SHIM_THREADS=%u\n",
            what, s.kernel, gridDim.x, gridDim.y, gridDim.z, blockDim.x, blockDim.y, blockDim.z, s.seed, s.workers);
    fflush(stderr);
    abort();
}

[[noreturn]] inline void fail(const char* what) {
    char msg[768];
    snprintf(msg, sizeof msg, "%s (kernel %s, block %u,%u,%u thread %u,%u,%u)", what, current_schedule().kernel,
             blockIdx.x, blockIdx.y, blockIdx.z, threadIdx.x, threadIdx.y, threadIdx.z);
    abort_with(msg);
}

// Called by KERNEL_REQUIRE (common.cuh) where the GPU would execute __trap().
[[noreturn]] inline void kernel_trap(const char* cond, const char* file, int line) {
    char msg[512];
    snprintf(msg, sizeof msg, "kernel trap: requirement '%s' failed at %s:%d", cond, file, line);
    fail(msg);
}

// The current worker's shared memory (all __shared__ variables of the program), as [begin, end).
inline void check_shared_section() {
    const char* begin = __start_cuda_host_shared;
    const char* end = __stop_cuda_host_shared;
    const char* probe = reinterpret_cast<const char*>(&shared_probe);
    if (!(begin <= probe && probe < end)) {
        abort_with("__shared__ variables are not where __start/__stop_cuda_host_shared say (this linker does not "
                   "resolve them per thread), so shared memory cannot be poisoned; see cuda_host_shim.h");
    }
}

inline void poison_shared_memory() {
    char* begin = __start_cuda_host_shared;
    size_t bytes = (size_t)(__stop_cuda_host_shared - begin);
    // The section is at least 2-byte aligned in practice; copy byte-wise so any alignment is fine.
    const unsigned char pattern[2] = {(unsigned char)(kSharedPoison & 0xff), (unsigned char)(kSharedPoison >> 8)};
    uintptr_t phase = (uintptr_t)begin & 1;
    for (size_t i = 0; i < bytes; i++) {
        begin[i] = (char)pattern[(phase + i) & 1];
    }
}

// The coroutines of the block a worker is running; null in unsynchronized mode.
struct BlockScheduler {
    static constexpr size_t kStackBytes = 128 * 1024;
    enum State { kReady, kAtBarrier, kDone };

    ucontext_t scheduler;
    std::vector<ucontext_t> contexts;
    std::vector<std::unique_ptr<char[]>> stacks;
    std::vector<State> states;
    // Per thread: how many times it has arrived at __syncthreads() in this block, and where it waits now.
    std::vector<unsigned long long> arrivals;
    std::vector<const char*> site_file;
    std::vector<int> site_line;
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

inline void barrier(const char* file, int line) {
    BlockScheduler* s = tl_scheduler;
    if (s == nullptr) {
        fail("__syncthreads() in a kernel started with launch_unsynchronized(); start it with launch()");
    }
    s->states[s->current] = BlockScheduler::kAtBarrier;
    s->arrivals[s->current]++;
    s->site_file[s->current] = file;
    s->site_line[s->current] = line;
    if (swapcontext(&s->contexts[s->current], &s->scheduler) != 0) {
        fail("swapcontext failed");
    }
}

// "thread (x,y,z)" of the block's linear thread t, for messages.
inline void describe_thread(char* out, size_t size, const BlockScheduler& s, unsigned int t) {
    unsigned int x = t % blockDim.x, y = (t / blockDim.x) % blockDim.y, z = t / (blockDim.x * blockDim.y);
    if (s.states[t] == BlockScheduler::kDone) {
        snprintf(out, size, "thread (%u,%u,%u) returned after %llu __syncthreads() arrivals", x, y, z, s.arrivals[t]);
    } else {
        snprintf(out, size, "thread (%u,%u,%u) waits at its arrival %llu, __syncthreads() at %s:%d", x, y, z,
                 s.arrivals[t], s.site_file[t], s.site_line[t]);
    }
}

// After a round in which every live thread ran to a barrier or to its end: the threads agree when all
// have returned (then all arrived equally often) or all wait at the same __syncthreads() call (the round
// structure makes their arrival counts equal too). Anything else is barrier divergence.
inline void check_barrier_agreement(const BlockScheduler& s, unsigned int threads) {
    unsigned int first = 0;
    for (unsigned int t = 1; t < threads; t++) {
        bool same_state = s.states[t] == s.states[first];
        bool same_site = s.states[t] == BlockScheduler::kDone ||
                         (s.site_line[t] == s.site_line[first] && strcmp(s.site_file[t], s.site_file[first]) == 0);
        if (same_state && same_site && s.arrivals[t] == s.arrivals[first]) {
            continue;
        }
        char a[256], b[256], msg[768];
        describe_thread(a, sizeof a, s, first);
        describe_thread(b, sizeof b, s, t);
        snprintf(msg, sizeof msg,
                 "barrier divergence in kernel %s, block (%u,%u,%u): %s; %s (on a GPU every thread of a block must "
                 "reach the same __syncthreads() calls equally often)",
                 current_schedule().kernel, blockIdx.x, blockIdx.y, blockIdx.z, a, b);
        abort_with(msg);
    }
}

// Runs the threads of one block as coroutines, releasing them barrier by barrier.
inline void run_block_with_barriers(BlockScheduler& s, unsigned int threads) {
    if (s.contexts.size() < threads) {
        s.contexts.resize(threads);
        s.states.resize(threads);
        s.arrivals.resize(threads);
        s.site_file.resize(threads);
        s.site_line.resize(threads);
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
        s.arrivals[t] = 0;
        s.site_file[t] = "";
        s.site_line[t] = 0;
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
        check_barrier_agreement(s, threads);
        if (s.states[0] == BlockScheduler::kDone) {
            return;
        }
    }
}

inline unsigned long long env_number(const char* name, unsigned long long fallback) {
    const char* env = getenv(name);
    if (env == nullptr || *env == '\0') {
        return fallback;
    }
    char* end;
    unsigned long long v = strtoull(env, &end, 0);
    if (*end != '\0') {
        fprintf(stderr, "cuda_host_shim: %s=%s is not a number\n", name, env);
        abort();
    }
    return v;
}

inline unsigned int worker_count(unsigned long long blocks) {
    unsigned int hw = std::thread::hardware_concurrency();
    unsigned long long k = env_number("CUDA_HOST_SHIM_THREADS", hw == 0 ? 1 : std::min(hw, 8u));
    if (k == 0) {
        k = 1;
    }
    return (unsigned int)std::min<unsigned long long>(std::min<unsigned long long>(k, 1024), blocks);
}

inline unsigned long long splitmix64(unsigned long long& state) {
    unsigned long long z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// The order in which a launch starts its blocks: a seeded bijection of [0, blocks), computed per index
// (no table, so any grid size works). A few rounds of invertible steps on `bits`-bit words (multiply by an
// odd number, xor with a right shift, add a key, all mod 2^bits) permute [0, 2^bits); cycle-walking (apply
// again while the value is >= blocks) restricts that to a permutation of [0, blocks). Seed 0: index order.
struct BlockOrder {
    unsigned long long blocks;
    unsigned int bits = 0;
    unsigned long long mask = 0;
    unsigned long long mul[4] = {}, add[4] = {};
    bool identity;

    BlockOrder(unsigned long long n, unsigned long long seed) : blocks(n), identity(seed == 0 || n <= 1) {
        while (bits < 64 && (1ULL << bits) < n) {
            bits++;
        }
        mask = bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
        unsigned long long state = seed;
        for (int r = 0; r < 4; r++) {
            mul[r] = splitmix64(state) | 1;
            add[r] = splitmix64(state);
        }
    }

    unsigned long long step(unsigned long long x) const {
        for (int r = 0; r < 4; r++) {
            x = (x * mul[r]) & mask;
            x ^= x >> (bits / 2 + 1);
            x = (x + add[r]) & mask;
        }
        return x;
    }

    unsigned long long operator[](unsigned long long i) const {
        if (identity) {
            return i;
        }
        unsigned long long x = step(i);
        while (x >= blocks) {
            x = step(x);
        }
        return x;
    }
};

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
    check_shared_section();
    Schedule& schedule = current_schedule();
    schedule.seed = env_number("CUDA_HOST_SHIM_SEED", 1);
    schedule.workers = worker_count(blocks);
    const BlockOrder order(blocks, schedule.seed);
    std::atomic<unsigned long long> next{0};
    auto worker = [&]() {
        check_shared_section();  // per worker too: the section must be this thread's copy
        gridDim = grid;
        blockDim = block;
        BlockScheduler scheduler;
        scheduler.body = &body;
        tl_scheduler = barriers ? &scheduler : nullptr;
        for (unsigned long long i = next++; i < blocks; i = next++) {
            unsigned long long b = order[i];
            blockIdx.x = (unsigned int)(b % grid.x);
            blockIdx.y = (unsigned int)((b / grid.x) % grid.y);
            blockIdx.z = (unsigned int)(b / ((unsigned long long)grid.x * grid.y));
            poison_shared_memory();
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
    if (schedule.workers <= 1) {
        worker();
        return;
    }
    std::vector<std::thread> pool;
    for (unsigned int w = 0; w < schedule.workers; w++) {
        pool.emplace_back(worker);
    }
    for (std::thread& t : pool) {
        t.join();
    }
}

}  // namespace cuda_host_shim

// The default arguments are the caller's file and line (GCC builtins), which identify the barrier.
inline void __syncthreads(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    cuda_host_shim::barrier(file, line);
}

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
