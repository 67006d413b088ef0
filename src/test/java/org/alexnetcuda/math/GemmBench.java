package org.alexnetcuda.math;

import java.util.SplittableRandom;

/**
 * GEMM throughput on AlexNet-sized shapes (a main, not a test: timings on shared CI machines are noise).
 * Run after {@code mvn test-compile} with
 * {@code java -cp target/classes:target/test-classes org.alexnetcuda.math.GemmBench [reps]}.
 * Shapes are m x k x n: conv forward (O x CKK x HW) and the fc6 forward (batch x 9216 x 4096).
 */
public final class GemmBench {
    private GemmBench() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[][] shapes = {{96, 363, 3025}, {256, 2400, 729}, {384, 2304, 169}, {64, 9216, 4096}};
        SplittableRandom rnd = new SplittableRandom(1);
        warmUp(rnd);
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            float[] a = GradientCheck.randomFloats(rnd, m * k);
            float[] b = GradientCheck.randomFloats(rnd, k * n);
            float[] c = new float[m * n];
            for (String mode : new String[] {"NN", "NT", "TN"}) {
                boolean ta = mode.charAt(0) == 'T';
                boolean tb = mode.charAt(1) == 'T';
                double best = 0;
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n);
                    double sec = (System.nanoTime() - t0) * 1e-9;
                    best = Math.max(best, 2.0 * m * n * k / sec * 1e-9);
                }
                System.out.printf("%s m=%d k=%d n=%d: best %.1f GFLOP/s%n", mode, m, k, n, best);
            }
        }
    }

    /** Runs every transpose case until C2 has compiled the kernel (the first, on-stack-replaced version is slow). */
    private static void warmUp(SplittableRandom rnd) {
        int m = 64;
        int k = 300;
        int n = 300;
        float[] a = GradientCheck.randomFloats(rnd, m * k);
        float[] b = GradientCheck.randomFloats(rnd, k * n);
        float[] c = new float[m * n];
        for (int r = 0; r < 30; r++) {
            boolean ta = (r & 1) != 0;
            boolean tb = (r & 2) != 0;
            Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n);
        }
    }
}
