package org.alexnetcuda.kernels.reference;

/**
 * Element ranges in bounded pieces: the references copy device arrays through Java arrays of at most
 * {@link #ELEMENTS} elements, so a reference over the whole model (58M parameters for Adam) needs a few hundred
 * kilobytes, not gigabytes. For element-wise kernels the order of the pieces cannot change any result.
 */
final class Chunks {
    /** Elements per piece: 64 Ki, 256 KiB of floats. */
    static final int ELEMENTS = 1 << 16;

    private Chunks() {
    }

    @FunctionalInterface
    interface Body {
        /** Elements [from, from + count). */
        void run(long from, int count);
    }

    /** Calls body for consecutive pieces covering [0, n); nothing for n <= 0. */
    static void forEach(long n, Body body) {
        for (long from = 0; from < n; from += ELEMENTS) {
            body.run(from, (int) Math.min(ELEMENTS, n - from));
        }
    }

    /** Length of a buffer for pieces of [0, n). */
    static int bufferLength(long n) {
        return (int) Math.max(0, Math.min(ELEMENTS, n));
    }
}
