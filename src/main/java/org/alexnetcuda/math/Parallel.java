package org.alexnetcuda.math;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Data-parallel loops of the math on the common fork-join pool (one worker per core), for the CPU engine and the
 * device simulator alike.
 */
public final class Parallel {
    private Parallel() {
    }

    /** A body over the index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Runs body(i) for i in [0, n) in parallel. */
    public static void forEach(int n, java.util.function.IntConsumer body) {
        if (n <= 1 || threads() == 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        IntStream.range(0, n).parallel().forEach(body);
    }

    /** Splits [0, n) into about one chunk per thread (times a small factor for balance) and runs them in parallel. */
    public static void forRange(int n, RangeBody body) {
        int chunks = Math.min(n, threads() * 4);
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            if (from < to) {
                body.run(from, to);
            }
        });
    }

    public static int threads() {
        return ForkJoinPool.getCommonPoolParallelism() + 1;
    }
}
