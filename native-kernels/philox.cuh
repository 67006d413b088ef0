// Philox-4x32-10 counter-based random numbers (Salmon, Moraes, Dror, Shaw, "Parallel Random Numbers:
// As Easy as 1, 2, 3", SC 2011), for dropout masks that are a pure function of (key, step, index).
//
// A counter-based generator needs no state per element and no state between launches: the random word
// for element i is computed from its coordinates, so the forward and backward kernels (and the Java
// CPU engine) recompute exactly the same mask, in any order and on any device.
//
// Layout, identical to org.alexnetcuda.math.CounterRng.uniform(seed, step, index) (bit for bit):
//   key     = (key low 32 bits, key high 32 bits)
//   counter = (index low 32 bits, index high 32 bits, step low 32 bits, step high 32 bits)
//   word    = output word 0 of Philox-4x32-10(counter, key); words 1..3 are not used
//   uniform = (word >> 8) * 2^-24, a float in [0, 1 - 2^-24], exact
// One Philox evaluation per element (not four elements per evaluation) keeps the element -> counter map
// trivial and every thread on its own element, so loads and stores coalesce; ten rounds of two 32-bit
// multiplies are cheap next to the memory traffic of the element-wise kernels that use it.
#ifndef ALEXNET_PHILOX_CUH
#define ALEXNET_PHILOX_CUH

#include "common.cuh"

struct philox4x32 {
    unsigned int w[4];
};

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

// Philox-4x32 with 10 rounds: round, then bump the key, nine times, then a last round. The 32x32->64
// multiply gives the high and low halves at once; nvcc lowers it to mul.wide.u32 (or mul.hi/mul.lo).
static __host__ __device__ __forceinline__ philox4x32 philox4x32_10(philox4x32 c, unsigned int k0,
                                                                    unsigned int k1) {
    for (int round = 0; round < 10; round++) {
        unsigned long long p0 = (unsigned long long)PHILOX_M0 * c.w[0];
        unsigned long long p1 = (unsigned long long)PHILOX_M1 * c.w[2];
        philox4x32 n;
        n.w[0] = (unsigned int)(p1 >> 32) ^ c.w[1] ^ k0;
        n.w[1] = (unsigned int)p1;
        n.w[2] = (unsigned int)(p0 >> 32) ^ c.w[3] ^ k1;
        n.w[3] = (unsigned int)p0;
        c = n;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    return c;
}

// Output word 0 of Philox-4x32-10 for (key, step, index): CounterRng.bits(key, step, index).
static __host__ __device__ __forceinline__ unsigned int philox_word(unsigned long long key, unsigned long long step,
                                                                    unsigned long long index) {
    philox4x32 c;
    c.w[0] = (unsigned int)index;
    c.w[1] = (unsigned int)(index >> 32);
    c.w[2] = (unsigned int)step;
    c.w[3] = (unsigned int)(step >> 32);
    return philox4x32_10(c, (unsigned int)key, (unsigned int)(key >> 32)).w[0];
}

// A word as a float uniform in [0, 1): its top 24 bits times 2^-24, exact in float (CounterRng.uniform).
static __host__ __device__ __forceinline__ float philox_uniform(unsigned int word) {
    return (float)(word >> 8) * 5.9604644775390625e-8f;  // 2^-24
}

#endif  // ALEXNET_PHILOX_CUH
