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
 */
final class HostKernelLauncher implements KernelLauncher {

    record Launch(Kernel kernel, int gridX, int blockX, int sharedBytes) {
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

    @Override
    public void launch(Kernel kernel, int gridX, int blockX, int sharedBytes, Object stream, Object... args) {
        kernel.checkArguments(args);
        if (gridX <= 0 || blockX <= 0 || blockX > 1024) {
            throw new IllegalArgumentException("invalid launch shape <<<" + gridX + ", " + blockX + ">>>");
        }
        launches.add(new Launch(kernel, gridX, blockX, sharedBytes));
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
            HostKernelRunner.Result r = HostKernelRunner.exec(command, 600);
            if (r.status() != 0) {
                throw new KernelFailure(r.status(), kernel + " <<<" + gridX + ", " + blockX + ">>> exited with "
                        + r.status() + ": " + r.output().strip());
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
