package org.alexnetcuda.kernels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link KernelLauncher} on the CPU: runs the kernel in the host build of the same .cu sources
 * ({@link HostKernelRunner}), one kernel-runner process per launch. Device pointers are {@link HostBuffer}s, the
 * stream is ignored (launches are synchronous). Records each launch so tests can check launch shapes.
 *
 * <p>Each launch runs under a {@link Schedule}: the order in which the shim starts the blocks and how many worker
 * threads run them. A GPU runs blocks in any order, so a kernel must give the same result under every schedule;
 * to exercise many without making the tests random, the schedule of a launch is derived from the launch itself
 * (kernel, shape, scalar arguments, buffer sizes): different launches across the suite get different block orders
 * and 1 to 4 workers, and the same launch always gets the same schedule. {@code -Dkernels.shim.seed=S} and
 * {@code -Dkernels.shim.threads=K} fix them for every launch instead (to reproduce a failure, or to sweep).
 * The schedules of the current test's launches are printed when it fails ({@link ScheduleReport}).
 */
final class HostKernelLauncher implements KernelLauncher {

    /**
     * The shim's block schedule (native-kernels/host/cuda_host_shim.h): {@code seed} of the block order (0: index
     * order) and the worker {@code threads}, passed as CUDA_HOST_SHIM_SEED and CUDA_HOST_SHIM_THREADS.
     */
    record Schedule(long seed, int threads) {
        Schedule {
            if (seed < 0 || threads < 1) {
                throw new IllegalArgumentException("seed " + seed + ", threads " + threads);
            }
        }

        Map<String, String> environment() {
            return Map.of("CUDA_HOST_SHIM_SEED", Long.toString(seed), "CUDA_HOST_SHIM_THREADS",
                    Integer.toString(threads));
        }

        /** The schedule a launch gets: the system properties where set, else {@link #derive}'s. */
        static Schedule forLaunch(Kernel kernel, int gridX, int blockX, Object... args) {
            Schedule d = derive(kernel, gridX, blockX, args);
            return new Schedule(Long.getLong("kernels.shim.seed", d.seed),
                    Integer.getInteger("kernels.shim.threads", d.threads));
        }

        /** A function of the launch: a nonzero seed (never index order) and 1 to 4 workers. */
        static Schedule derive(Kernel kernel, int gridX, int blockX, Object... args) {
            long h = mix(kernel.name().hashCode() * 0x9e3779b97f4a7c15L + gridX);
            h = mix(h + blockX);
            for (Object a : args) {
                h = mix(h + (a instanceof HostBuffer b ? b.raw().length : String.valueOf(a).hashCode()));
            }
            return new Schedule(1 + (h >>> 33), 1 + (int) ((h >>> 8) & 3));
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        @Override
        public String toString() {
            return "CUDA_HOST_SHIM_SEED=" + seed + " CUDA_HOST_SHIM_THREADS=" + threads;
        }
    }

    record Launch(Kernel kernel, int gridX, int blockX, int sharedBytes, Schedule schedule) {
        @Override
        public String toString() {
            return kernel.name() + " <<<" + gridX + ", " + blockX + ">>> " + schedule;
        }
    }

    /** A kernel that stopped (trap, barrier misuse) or a runner that refused its arguments. */
    static final class KernelFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        KernelFailure(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    final List<Launch> launches = new ArrayList<>();
    private final Path runner = HostKernelRunner.path();
    private final Schedule fixed;

    /** Each launch under the schedule derived from it (see the class comment). */
    HostKernelLauncher() {
        this(null);
    }

    /** Every launch under {@code schedule} (null: derived per launch). */
    HostKernelLauncher(Schedule schedule) {
        this.fixed = schedule;
    }

    @Override
    public void launch(Kernel kernel, int gridX, int blockX, int sharedBytes, Object stream, Object... args) {
        kernel.checkArguments(args);
        if (gridX <= 0 || blockX <= 0 || blockX > 1024) {
            throw new IllegalArgumentException("invalid launch shape <<<" + gridX + ", " + blockX + ">>>");
        }
        Schedule schedule = fixed != null ? fixed : Schedule.forLaunch(kernel, gridX, blockX, args);
        Launch launch = new Launch(kernel, gridX, blockX, sharedBytes, schedule);
        launches.add(launch);
        ScheduleReport.record(launch);
        Path dir;
        try {
            dir = Files.createTempDirectory("kernel-launch");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<HostBuffer, Path> files = new IdentityHashMap<>();
        try {
            List<String> command = new ArrayList<>(List.of(runner.toString(), "run", kernel.name(),
                    Integer.toString(gridX), Integer.toString(blockX)));
            for (int i = 0; i < args.length; i++) {
                command.add(argument(kernel.params().get(i), args[i], dir, files));
            }
            HostKernelRunner.Result r = HostKernelRunner.exec(command, schedule.environment(), 600);
            if (r.status() != 0) {
                throw new KernelFailure(r.status(), kernel + " <<<" + gridX + ", " + blockX + ">>> (" + schedule
                        + ") exited with " + r.status() + ": " + r.output().strip());
            }
            for (Map.Entry<HostBuffer, Path> e : files.entrySet()) {
                e.getKey().setRaw(Files.readAllBytes(e.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (Path f : files.values()) {
                f.toFile().delete();
            }
            dir.toFile().delete();
        }
    }

    private static String argument(ParamType type, Object a, Path dir, Map<HostBuffer, Path> files) throws IOException {
        return switch (type) {
            case PTR -> {
                if (a == null) {
                    yield "null";
                }
                if (!(a instanceof HostBuffer b)) {
                    throw new IllegalArgumentException("host launches take HostBuffer pointers, got " + a.getClass());
                }
                Path f = files.get(b);
                if (f == null) {
                    f = dir.resolve("buffer" + files.size() + ".bin");
                    Files.write(f, b.raw());
                    files.put(b, f);
                }
                yield "ptr:" + f;
            }
            case I32 -> "i32:" + a;
            case U32 -> "u32:" + Integer.toUnsignedString((Integer) a);
            case I64 -> "i64:" + a;
            case U64 -> "u64:" + Long.toUnsignedString((Long) a);
            case F32 -> "f32:" + Float.toHexString((Float) a);
            case F64 -> "f64:" + Double.toHexString((Double) a);
        };
    }
}
