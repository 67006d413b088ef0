package org.alexnetcuda.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host shim's three checks for what a GPU gets wrong but a sequential CPU run gets right by luck
 * (native-kernels/host/cuda_host_shim.h), each proven on a kernel with a planted bug from
 * native-kernels/host/test/planted_bugs.cu (built only into build/kernel-runner-planted), plus a correct control
 * kernel and the project's barrier kernels, which must pass under every block schedule:
 * <ol>
 * <li>shared memory is poisoned (NaN bits) at every block start, so a read before any write shows;
 * <li>__syncthreads() arrivals and call sites are compared across the block, so barrier divergence aborts;
 * <li>blocks start in a seeded shuffled order on a chosen number of workers, so a dependence between blocks of one
 * launch gives wrong results.
 * </ol>
 */
@ExtendWith(ScheduleReport.class)
class HostShimChecksTest {
    /** 0xfffdfffd: the shim's shared-memory poison as a float (a quiet NaN); NaN + x keeps it on x86. */
    private static final int POISON_FLOAT_BITS = 0xfffdfffd;
    private static final int BLOCK = 64;

    @TempDir
    Path dir;

    private record Run(int status, String output) {
    }

    /** Runs a kernel of the planted runner under a schedule (null: the shim's defaults, environment cleared). */
    private Run run(HostKernelLauncher.Schedule schedule, String kernel, int grid, int block, String... args) {
        Path runner = HostKernelRunner.plantedPath();
        List<String> command = new ArrayList<>(List.of(runner.toString(), "run", kernel, Integer.toString(grid),
                Integer.toString(block)));
        command.addAll(Arrays.asList(args));
        Map<String, String> env = new HashMap<>();
        env.put("CUDA_HOST_SHIM_SEED", null);
        env.put("CUDA_HOST_SHIM_THREADS", null);
        if (schedule != null) {
            env.putAll(schedule.environment());
        }
        HostKernelRunner.Result r = HostKernelRunner.exec(command, env, 120);
        return new Run(r.status(), r.output());
    }

    private String buffer(String name, HostBuffer b) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, b.raw());
        return "ptr:" + f;
    }

    private HostBuffer read(String name) throws IOException {
        return HostBuffer.bytes(Files.readAllBytes(dir.resolve(name)));
    }

    private String ones(int n) throws IOException {
        float[] x = new float[n];
        Arrays.fill(x, 1f);
        return buffer("x.bin", HostBuffer.floats(x));
    }

    @Test
    void sharedMemoryReadBeforeWriteIsCaught() throws IOException {
        // The kernel adds x into shared memory it never initialised and "resets" it to zero at the end: with
        // shared memory that starts at zero and survives between blocks (a plain static thread_local) every
        // block's sum would be exactly 64. With the poison every sum is the poison NaN.
        int grid = 8;
        for (HostKernelLauncher.Schedule s : List.of(new HostKernelLauncher.Schedule(0, 1),
                new HostKernelLauncher.Schedule(3, 2))) {
            String x = ones(grid * BLOCK);
            String out = buffer("out.bin", HostBuffer.zeros(4 * grid));
            Run r = run(s, "planted_shared_read_before_write", grid, BLOCK, out, x);
            assertEquals(0, r.status(), r.output());
            float[] sums = read("out.bin").floats();
            for (int b = 0; b < grid; b++) {
                assertEquals(POISON_FLOAT_BITS, Float.floatToRawIntBits(sums[b]),
                        "block " + b + " under " + s + ": the poison did not reach the sum, got " + sums[b]);
            }
        }
    }

    @Test
    void aBarrierInADivergentLoopAborts() throws IOException {
        // Threads 32..63 never enter the reduction loop and return while threads 0..31 wait in it.
        Run r = run(null, "planted_divergent_barrier_loop", 4, BLOCK, buffer("out.bin", HostBuffer.zeros(16)),
                ones(4 * BLOCK));
        assertAborted(r);
        assertTrue(r.output().contains("barrier divergence in kernel planted_divergent_barrier_loop, block ("),
                r.output());
        // Thread 0 waits at its second barrier (the loop's), thread 32 has returned after the first.
        assertTrue(r.output().contains("thread (0,0,0) waits at its arrival 2, __syncthreads() at "), r.output());
        assertTrue(r.output().contains("thread (32,0,0) returned after 1 __syncthreads() arrivals"), r.output());
        assertReproducible(r, 1);
    }

    @Test
    void barriersAtDifferentCallsAbort() throws IOException {
        // Equal arrival counts at different __syncthreads() calls: a shim that only counts live threads at "the"
        // barrier pairs them silently and the kernel passes.
        Run r = run(new HostKernelLauncher.Schedule(5, 3), "planted_divergent_barrier_sites", 4, BLOCK,
                buffer("out.bin", HostBuffer.zeros(16)), ones(4 * BLOCK));
        assertAborted(r);
        assertTrue(r.output().contains("barrier divergence in kernel planted_divergent_barrier_sites"), r.output());
        Matcher m = Pattern.compile("thread \\((\\d+),0,0\\) waits at its arrival 1, __syncthreads\\(\\) at "
                + "\\S*planted_bugs\\.cu:(\\d+)").matcher(r.output());
        assertTrue(m.find(), r.output());
        String firstThread = m.group(1);
        String firstLine = m.group(2);
        assertTrue(m.find(), r.output());
        assertEquals("0", firstThread);
        assertEquals("32", m.group(1), "the first thread of the other half");
        assertNotEquals(firstLine, m.group(2), "two different calls");
        assertReproducible(r, 5);
    }

    @Test
    void aDependenceBetweenBlocksIsCaught() throws IOException {
        // Block b writes out[b] = out[b - 1] + 1, so only an index-order run gives 1, 2, ..., n.
        int n = 64;
        int[] chain = new int[n];
        for (int b = 0; b < n; b++) {
            chain[b] = b + 1;
        }
        // Index order (seed 0) on one worker, as the shim ran blocks before: the bug passes.
        assertArrayEquals(chain, chainRun(new HostKernelLauncher.Schedule(0, 1), n), "index order");
        // The shim's default schedule (what CI runs) is shuffled, so it is caught ...
        assertFalse(Arrays.equals(chain, chainRun(null, n)), "the default schedule must not be index order");
        // ... and so is it under other seeds and worker counts.
        for (long seed : new long[] {2, 77, 0x5eed}) {
            for (int threads : new int[] {1, 2, 4}) {
                HostKernelLauncher.Schedule s = new HostKernelLauncher.Schedule(seed, threads);
                assertFalse(Arrays.equals(chain, chainRun(s, n)), "block dependence not caught under " + s);
            }
        }
    }

    private int[] chainRun(HostKernelLauncher.Schedule s, int n) throws IOException {
        Run r = run(s, "planted_block_chain", n, 1, buffer("chain.bin", HostBuffer.zeros(4 * n)));
        assertEquals(0, r.status(), r.output());
        return read("chain.bin").ints();
    }

    @Test
    void aCorrectSharedMemoryReductionPassesUnderEverySchedule() throws IOException {
        int grid = 16;
        int[] x = new int[grid * BLOCK];
        int[] expected = new int[grid];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 7 % 101 - 50;
            expected[i / BLOCK] += x[i];
        }
        for (long seed : new long[] {0, 1, 2, 3}) {
            for (int threads : new int[] {1, 2, 5}) {
                HostKernelLauncher.Schedule s = new HostKernelLauncher.Schedule(seed, threads);
                Run r = run(s, "control_block_sum", grid, BLOCK, buffer("out.bin", HostBuffer.zeros(4 * grid)),
                        buffer("x.bin", HostBuffer.ints(x)));
                assertEquals(0, r.status(), s + ": " + r.output());
                assertArrayEquals(expected, read("out.bin").ints(), s.toString());
            }
        }
    }

    /**
     * The project's shared-memory and barrier kernels (loss.cu) and a many-block element-wise kernel give the same
     * bits under every schedule: the same as the reference, and so the same as each other.
     */
    @Test
    void realKernelsAgreeWithTheReferenceUnderManySchedules() {
        int n = 100;  // a block per sample; each block of 128 threads crosses 17 barriers
        int classes = 10;
        float[] z = SoftmaxCrossEntropyKernelsTest.logits(41, n, classes, 3);
        int[] labels = SoftmaxCrossEntropyKernelsTest.labels(42, n, classes);
        SoftmaxCrossEntropyKernelsTest.Outputs expected = SoftmaxCrossEntropyKernelsTest.reference(z, labels, n, classes);
        float[] x = ReluKernelsTest.randomWithSpecials(43, 256 * 37 + 5);
        HostBuffer expectedRelu = HostBuffer.zeros(4 * x.length);
        new ReluKernels(HostBufferMemory.launcher()).forward(null, expectedRelu, HostBuffer.floats(x), x.length);
        SoftmaxCrossEntropyKernelsTest.Outputs first = null;
        for (HostKernelLauncher.Schedule s : List.of(new HostKernelLauncher.Schedule(0, 1),
                new HostKernelLauncher.Schedule(1, 2), new HostKernelLauncher.Schedule(9, 3))) {
            HostKernelLauncher launcher = new HostKernelLauncher(s);
            SoftmaxCrossEntropyKernelsTest.Outputs k =
                    SoftmaxCrossEntropyKernelsTest.forwardBackward(launcher, z, labels, n, classes, true);
            SoftmaxCrossEntropyKernelsTest.assertAgree(expected, k, true);
            if (first == null) {
                first = k;
            } else {
                assertArrayEquals(first.loss(), k.loss(), "losses under " + s);
                assertArrayEquals(first.grad(), k.grad(), "gradients under " + s);
            }
            HostBuffer totals = HostBuffer.zeros(8 * SoftmaxCrossEntropyKernels.TOTALS);
            new SoftmaxCrossEntropyKernels(launcher).accumulate(null, totals, HostBuffer.doubles(k.loss()),
                    HostBuffer.ints(k.correct()), n);
            assertEquals(n, totals.doubles()[SoftmaxCrossEntropyKernels.SAMPLES], 0.0, s.toString());
            assertEquals(Arrays.stream(k.correct()).sum(), totals.doubles()[SoftmaxCrossEntropyKernels.CORRECT],
                    0.0, s.toString());
            HostBuffer y = HostBuffer.zeros(4 * x.length);
            new ReluKernels(launcher).forward(null, y, HostBuffer.floats(x), x.length);
            ReluKernelsTest.assertBitsEqual(expectedRelu.floats(), y.floats(), "relu under " + s);
        }
    }

    /** The launcher's derived schedules vary between launches (orders and worker counts), and repeat for one. */
    @Test
    void derivedSchedulesVaryAcrossLaunchesAndRepeatForOne() {
        Set<Long> seeds = new HashSet<>();
        Set<Integer> threads = new HashSet<>();
        for (int n = 1; n <= 40; n++) {
            HostKernelLauncher.Schedule s = HostKernelLauncher.Schedule.derive(ReluKernels.FORWARD, n, 256,
                    HostBuffer.zeros(4 * n), HostBuffer.zeros(4 * n), n);
            assertEquals(s, HostKernelLauncher.Schedule.derive(ReluKernels.FORWARD, n, 256,
                    HostBuffer.zeros(4 * n), HostBuffer.zeros(4 * n), n), "deterministic");
            seeds.add(s.seed());
            threads.add(s.threads());
        }
        assertTrue(seeds.size() > 30, "seeds " + seeds);
        assertTrue(threads.size() >= 3, "worker counts " + threads);
        assertFalse(seeds.contains(0L), "derived schedules are never index order");
    }

    private static void assertAborted(Run r) {
        assertNotEquals(0, r.status(), "the planted bug was not caught:\n" + r.output());
    }

    /** The message names the schedule, and rerunning with it gives the same failure. */
    private static void assertReproducible(Run r, long seed) {
        assertTrue(r.output().contains("to reproduce: CUDA_HOST_SHIM_SEED=" + seed + " CUDA_HOST_SHIM_THREADS="),
                r.output());
    }
}
