/*
 * The host stand-in's one way into Java: every implemented C function of the stand-in libcuda, libcublas and
 * libcudnn decodes its C arguments into 64-bit words and calls
 *
 *     static int org.alexnetcuda.device.standin.StandinBridge.call(int library, String function, long[] args,
 *                                                                 java.nio.ByteBuffer host)
 *
 * through JNI, in the thread that called it (always a Java thread: the callers are JCuda's JNI libraries). Java
 * answers with the C status number of that library and may write results back into args; host, where not NULL,
 * is a direct buffer over host memory of the call (a copy's host side, a PTX image, a kernel's packed arguments,
 * a name to fill in).
 *
 * The semantics (what is computed, what is refused and with which status) are the simulator's, in Java: the C
 * side only decodes and encodes. A word holds an integer, a pointer or handle (as its 64-bit value), or a float
 * or double (as its bits: standin_f32 / standin_f64).
 */
#ifndef ALEXNET_STANDIN_BRIDGE_H
#define ALEXNET_STANDIN_BRIDGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The library numbers StandinBridge.call takes. */
enum { STANDIN_DRIVER = 0, STANDIN_CUBLAS = 1, STANDIN_CUDNN = 2 };

/*
 * Calls StandinBridge.call. If Java cannot be reached (no JVM in the process, the class missing) or the Java side
 * throws, the result is that library's "not initialised" or "internal error" status and one line on stderr says why.
 */
int standin_call(int library, const char *function, int64_t *args, int count, void *host, int64_t host_bytes);

/* A float or double argument as the word Java reads back with Float.intBitsToFloat / Double.longBitsToDouble. */
static inline int64_t standin_f32(float v)
{
    int32_t bits;
    memcpy(&bits, &v, sizeof bits);
    return (int64_t) bits;
}

static inline int64_t standin_f64(double v)
{
    int64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return bits;
}

/* A handle or pointer argument as a word, and back. */
#define STANDIN_WORD(p) ((int64_t) (uintptr_t) (p))
#define STANDIN_PTR(type, w) ((type) (uintptr_t) (w))

/* How many elements an array argument has. */
#define STANDIN_COUNT(a) ((int) (sizeof(a) / sizeof((a)[0])))

#endif
