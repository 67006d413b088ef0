package org.alexnetcuda.device.standin;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Event;
import org.alexnetcuda.device.Handles.Graph;
import org.alexnetcuda.device.Handles.GraphExec;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.kernels.Kernel;
import org.alexnetcuda.kernels.KernelCatalog;
import org.alexnetcuda.kernels.ParamType;
import org.alexnetcuda.kernels.PtxSource;

/**
 * The CUDA driver functions of the stand-in's libcuda.so.1 (cuda/standin/driver.c), on the simulator. The
 * argument words are in the order of the C function's parameters, an output first where the C function has one
 * (driver.c documents each).
 *
 * <p>What the driver itself would check is checked here on the C values: initialisation before use, one device
 * (ordinal 0), a current context on the calling thread (the driver's contexts are per thread), stream and event
 * flags, the capture mode, and that a module's PTX is one of the committed modules, byte for byte.
 */
final class DriverCalls {
    /** The name cuDeviceGetName gives: the device and the run header say it, so no output passes for a GPU's. */
    static final String DEVICE_NAME = "alexnet-cuda host stand-in (no GPU)";

    private static final String NOT_INITIALIZED = "CUDA_ERROR_NOT_INITIALIZED";
    private static final String INVALID_VALUE = "CUDA_ERROR_INVALID_VALUE";
    private static final String INVALID_HANDLE = "CUDA_ERROR_INVALID_HANDLE";
    private static final String INVALID_CONTEXT = "CUDA_ERROR_INVALID_CONTEXT";
    private static final String NOT_SUPPORTED = "CUDA_ERROR_NOT_SUPPORTED";

    private final Standin standin;
    private boolean initialised;
    private int retains;
    private long contextHandle;
    /** The context current on each thread, as cuCtxSetCurrent made it (0: none). */
    private final ThreadLocal<Long> current = ThreadLocal.withInitial(() -> 0L);

    /** The primary context: a handle that stands for the simulated device. */
    private record Context(int ordinal) {
    }

    /** A loaded module: which committed PTX module, and its entries' parameter sizes. */
    private record Module(String name, PtxEntries entries) {
    }

    /** A kernel of a loaded module: its declaration in the kernel catalog, and its PTX parameter sizes. */
    private record Function(Module module, Kernel kernel, List<Integer> sizes) {
    }

    DriverCalls(Standin standin) {
        this.standin = standin;
    }

    void call(String f, Words a, ByteBuffer host) {
        switch (f) {
            case "cuDriverGetVersion" -> a.set(0, standin.config().driverVersion());
            case "cuInit" -> {
                if (a.i(0) != 0) {
                    throw new DeviceException(f, INVALID_VALUE, "flags " + a.i(0) + " (must be 0)");
                }
                initialised = true;
            }
            case "cuDeviceGetCount" -> {
                initialised(f);
                a.set(0, 1);
            }
            case "cuDeviceGet" -> {
                a.set(0, ordinal(f, a.i(0)));
            }
            case "cuDeviceGetName" -> {
                ordinal(f, a.i(0));
                byte[] name = DEVICE_NAME.getBytes(StandardCharsets.US_ASCII);
                int n = Math.min(name.length, host.capacity() - 1);
                host.put(0, name, 0, n).put(n, (byte) 0);
            }
            case "cuDeviceGetAttribute" -> {
                ordinal(f, a.i(1));
                a.set(0, attribute(f, a.i(0)));
            }
            case "cuDeviceTotalMem" -> {
                ordinal(f, a.i(0));
                a.set(0, standin.config().memoryBytes());
            }
            case "cuDevicePrimaryCtxRetain" -> {
                ordinal(f, a.i(0));
                if (retains++ == 0) {
                    standin.openDevice();
                    contextHandle = standin.handles().add(new Context(0));
                }
                a.set(0, contextHandle);
            }
            case "cuDevicePrimaryCtxRelease" -> {
                ordinal(f, a.i(0));
                if (retains == 0) {
                    throw new DeviceException(f, INVALID_CONTEXT, "the primary context is not retained");
                }
                if (--retains == 0) {
                    standin.closeDevice();
                    contextHandle = 0;
                }
            }
            case "cuCtxSetCurrent" -> {
                long h = a.word(0);
                if (h != 0) {
                    standin.handles().get(f, h, Context.class, "context", INVALID_CONTEXT);
                }
                current.set(h);
            }
            default -> withContext(f, a, host, device(f));
        }
    }

    /** The calls that need a current context. */
    private void withContext(String f, Words a, ByteBuffer host, SimDevice d) {
        switch (f) {
            case "cuMemAlloc" -> a.set(0, d.memory().alloc(a.word(0)).address());
            case "cuMemFree" -> d.memory().free(a.ptr(0));
            case "cuMemGetInfo" -> {
                long[] info = d.memory().info();
                a.set(0, info[0]);
                a.set(1, info[1]);
            }
            case "cuMemcpyHtoDAsync" -> {
                byte[] bytes = new byte[hostBytes(f, a.word(1))];
                host.get(0, bytes);
                d.memory().copyToDeviceAsync(a.ptr(0), bytes, 0, bytes.length, stream(f, a.word(2)));
            }
            case "cuMemcpyDtoHAsync" -> {
                byte[] bytes = new byte[hostBytes(f, a.word(1))];
                d.memory().copyToHostAsync(bytes, 0, bytes.length, a.ptr(0), stream(f, a.word(2)));
                host.put(0, bytes);
            }
            case "cuMemcpyDtoDAsync" -> d.memory().copyDeviceToDevice(a.ptr(0), a.ptr(1), a.word(2),
                    stream(f, a.word(3)));
            case "cuMemsetD32Async" -> d.memory().setD32(a.ptr(0), a.i(1), a.word(2), stream(f, a.word(3)));
            case "cuStreamCreate" -> {
                // CU_STREAM_DEFAULT 0 or CU_STREAM_NON_BLOCKING 1: the simulator's streams never wait on the legacy
                // default stream, which the program never uses beside them.
                flags(f, a.i(1), 1);
                a.set(0, standin.handles().add(d.streams().createStream()));
            }
            case "cuStreamDestroy" -> d.streams().destroy(remove(f, a.word(0), Stream.class, "stream"));
            case "cuStreamSynchronize" -> d.streams().synchronize(stream(f, a.word(0)));
            case "cuEventCreate" -> {
                // CU_EVENT_DEFAULT 0, CU_EVENT_BLOCKING_SYNC 1 (how the host waits): both time.
                flags(f, a.i(1), 1);
                a.set(0, standin.handles().add(d.streams().createEvent()));
            }
            case "cuEventDestroy" -> d.streams().destroy(remove(f, a.word(0), Event.class, "event"));
            case "cuEventRecord" -> d.streams().record(handle(f, a.word(0), Event.class, "event"),
                    stream(f, a.word(1)));
            case "cuEventSynchronize" -> d.streams().synchronize(handle(f, a.word(0), Event.class, "event"));
            case "cuEventElapsedTime" -> a.setFloat(0, d.streams().elapsedMillis(
                    handle(f, a.word(1), Event.class, "event"), handle(f, a.word(2), Event.class, "event")));
            case "cuStreamBeginCapture" -> {
                // CU_STREAM_CAPTURE_MODE_GLOBAL 0: the mode the program uses and the one the simulator enforces.
                if (a.i(1) != 0) {
                    throw new DeviceException(f, NOT_SUPPORTED, "capture mode " + a.i(1)
                            + "; the stand-in enforces CU_STREAM_CAPTURE_MODE_GLOBAL (0) only");
                }
                d.streams().beginCapture(stream(f, a.word(0)));
            }
            case "cuStreamEndCapture" -> a.set(0, standin.handles().add(d.streams().endCapture(stream(f, a.word(1)))));
            case "cuGraphInstantiate" -> {
                flags(f, (int) a.word(2), 0);
                a.set(0, standin.handles().add(d.streams().instantiate(handle(f, a.word(1), Graph.class, "graph"))));
            }
            case "cuGraphLaunch" -> d.streams().launch(handle(f, a.word(0), GraphExec.class, "graph exec"),
                    stream(f, a.word(1)));
            case "cuGraphDestroy" -> d.streams().destroy(remove(f, a.word(0), Graph.class, "graph"));
            case "cuGraphExecDestroy" -> d.streams().destroy(remove(f, a.word(0), GraphExec.class, "graph exec"));
            case "cuModuleLoadDataEx" -> a.set(0, standin.handles().add(load(f, d, host)));
            case "cuModuleUnload" -> remove(f, a.word(0), Module.class, "module");
            case "cuModuleGetFunction" -> function(f, a, host);
            case "cuLaunchKernel" -> launch(f, a, host, d);
            case "cuProfilerStart" -> d.profiler().start();
            case "cuProfilerStop" -> d.profiler().stop();
            default -> throw new DeviceException(f, NOT_SUPPORTED, "not implemented by the host stand-in");
        }
    }

    private void initialised(String f) {
        if (!initialised) {
            throw new DeviceException(f, NOT_INITIALIZED, "cuInit has not been called");
        }
    }

    private int ordinal(String f, int ordinal) {
        initialised(f);
        if (ordinal != 0) {
            throw new DeviceException(f, "CUDA_ERROR_INVALID_DEVICE", "device " + ordinal + "; the stand-in has one");
        }
        return ordinal;
    }

    /** The device of the context current on this thread. */
    private SimDevice device(String f) {
        initialised(f);
        long h = current.get();
        if (h == 0 || h != contextHandle) {
            throw new DeviceException(f, INVALID_CONTEXT, h == 0 ? "no context is current on this thread"
                    : "the current context " + HandleTable.hex(h) + " was released");
        }
        return standin.device(f, INVALID_CONTEXT);
    }

    /**
     * cuDeviceGetAttribute's values: the compute capability set for the stand-in, and the launch limits the
     * stand-in enforces (driver.c), which are every GPU's since compute capability 3.0.
     */
    private int attribute(String f, int attribute) {
        int cc = standin.config().computeCapability();
        return switch (attribute) {
            case 1 -> 1024; // MAX_THREADS_PER_BLOCK
            case 2, 3 -> 1024; // MAX_BLOCK_DIM_X, _Y
            case 4 -> 64; // MAX_BLOCK_DIM_Z
            case 5 -> Integer.MAX_VALUE; // MAX_GRID_DIM_X
            case 6, 7 -> 65535; // MAX_GRID_DIM_Y, _Z
            case 8 -> 48 * 1024; // MAX_SHARED_MEMORY_PER_BLOCK
            case 10 -> 32; // WARP_SIZE
            case 16 -> 1; // MULTIPROCESSOR_COUNT: the host runs it, not 132 SMs
            case 75 -> cc / 10; // COMPUTE_CAPABILITY_MAJOR
            case 76 -> cc % 10; // COMPUTE_CAPABILITY_MINOR
            default -> throw new DeviceException(f, INVALID_VALUE, "attribute " + attribute
                    + " is not one the host stand-in answers");
        };
    }

    private static void flags(String f, int flags, int allowed) {
        if ((flags & ~allowed) != 0) {
            throw new DeviceException(f, INVALID_VALUE, "flags " + flags);
        }
    }

    private static int hostBytes(String f, long bytes) {
        if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
            throw new DeviceException(f, INVALID_VALUE, bytes + " bytes in one copy; the stand-in copies at most 2 GiB");
        }
        return (int) bytes;
    }

    /** A stream handle; 0 is the legacy default stream (null to the simulator). */
    private Stream stream(String f, long handle) {
        return handle == 0 ? null : handle(f, handle, Stream.class, "stream");
    }

    private <T> T handle(String f, long handle, Class<T> kind, String what) {
        return standin.handles().get(f, handle, kind, what, INVALID_HANDLE);
    }

    private <T> T remove(String f, long handle, Class<T> kind, String what) {
        T v = handle(f, handle, kind, what);
        standin.handles().remove(f, handle, what, INVALID_HANDLE);
        return v;
    }

    /** The committed module whose PTX the image is, byte for byte; any other image is refused. */
    private Module load(String f, SimDevice d, ByteBuffer host) {
        byte[] image = new byte[host.capacity()];
        host.get(0, image);
        String ptx = new String(image, StandardCharsets.US_ASCII);
        for (String module : KernelCatalog.modules()) {
            if (PtxSource.read(module).equals(ptx)) {
                d.loadModule(module, null);
                return new Module(module, PtxEntries.parse(ptx));
            }
        }
        throw new DeviceException(f, "CUDA_ERROR_INVALID_PTX", "a PTX image of " + image.length
                + " bytes that is none of the committed modules (cuda/ptx): the stand-in runs only those");
    }

    /** Answers with the function's handle, its parameter count and each parameter's PTX size (driver.c). */
    private void function(String f, Words a, ByteBuffer host) {
        Module m = handle(f, a.word(0), Module.class, "module");
        byte[] bytes = new byte[host.capacity()];
        host.get(0, bytes);
        String name = new String(bytes, StandardCharsets.US_ASCII);
        List<Integer> sizes = m.entries().sizes(name);
        if (sizes == null) {
            throw new DeviceException(f, "CUDA_ERROR_NOT_FOUND", "no entry " + name + " in module " + m.name());
        }
        Kernel kernel = KernelCatalog.all().stream()
                .filter(k -> k.module().equals(m.name()) && k.name().equals(name)).findFirst()
                .orElseThrow(() -> new DeviceException(f, "CUDA_ERROR_NOT_FOUND", "entry " + name + " of module "
                        + m.name() + " has no declaration in org.alexnetcuda.kernels.KernelCatalog"));
        if (sizes.size() > a.word(1)) {
            throw new DeviceException(f, NOT_SUPPORTED, name + " has " + sizes.size() + " parameters");
        }
        a.set(0, standin.handles().add(new Function(m, kernel, sizes)));
        a.set(1, sizes.size());
        for (int i = 0; i < sizes.size(); i++) {
            a.set(2 + i, sizes.get(i));
        }
    }

    /**
     * Runs a launch whose shape driver.c has checked against the driver's limits: the packed arguments are read by
     * the kernel's PTX sizes, which must be those of its declared parameter types, and the kernel runs as its Java
     * reference on the simulator, in its stream (or is captured there).
     */
    private void launch(String f, Words a, ByteBuffer packed, SimDevice d) {
        Function fn = handle(f, a.word(0), Function.class, "function");
        Kernel k = fn.kernel();
        String shape = k.name() + " <<<(" + a.i(1) + "," + a.i(2) + "," + a.i(3) + "), (" + a.i(4) + "," + a.i(5)
                + "," + a.i(6) + "), " + a.i(7) + ">>>";
        if (a.i(2) != 1 || a.i(3) != 1 || a.i(5) != 1 || a.i(6) != 1) {
            throw new DeviceException(f, NOT_SUPPORTED, shape + ": our kernels are launched one-dimensional");
        }
        packed.order(ByteOrder.nativeOrder());
        Object[] args = new Object[k.params().size()];
        int at = 0;
        for (int i = 0; i < args.length; i++) {
            ParamType t = k.params().get(i);
            int size = fn.sizes().get(i);
            if (size != PtxEntries.size(t)) {
                throw new DeviceException(f, INVALID_VALUE, shape + ": parameter " + i + " is " + size
                        + " bytes in the PTX but declared " + t);
            }
            args[i] = switch (t) {
                case PTR -> packed.getLong(at) == 0 ? null : new DevicePtr(packed.getLong(at));
                case I32, U32 -> packed.getInt(at);
                case I64, U64 -> packed.getLong(at);
                case F32 -> packed.getFloat(at);
                case F64 -> packed.getDouble(at);
            };
            at += size;
        }
        d.kernels().launch(k, a.i(1), a.i(4), a.i(7), stream(f, a.word(8)), args);
    }
}
