package org.alexnetcuda.device.sim;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.kernels.KernelLauncher;
import org.alexnetcuda.kernels.PtxSource;
import org.alexnetcuda.kernels.reference.ByteBufferMemory;
import org.alexnetcuda.kernels.reference.KernelMemory;
import org.alexnetcuda.kernels.reference.KernelTrapException;
import org.alexnetcuda.kernels.reference.ReferenceKernelLauncher;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.alexnetcuda.device.Device;

/**
 * A device simulated on the CPU: the whole narrow device API (memory, streams, events, graphs, cuBLAS, cuDNN),
 * so that the GPU engine's training path runs in CI without a GPU. Results are the CPU engine's (the math is its
 * layers', from org.alexnetcuda.math), errors are the status names the real libraries would report, and the simulator is stricter than a GPU
 * where that catches engine bugs early: every access is range-checked against its allocation, freed memory stays
 * detectable, fresh memory and used workspaces read as NaN, and capture refuses anything a step must not do
 * (including the first launch of a module's kernel, which loads the module on a GPU).
 *
 * <p>Usage: {@code try (SimDevice d = new SimDevice()) { ... }}; {@link #memory()} gives the typed accessors that
 * kernel simulations need, {@link #streams()} the {@link SimStreams#enqueue} through which they issue their work
 * (so that it is captured like everything else), and {@link #callCounts()} / {@link #allocationCount()} what the
 * device has been asked to do. One host thread drives the device, as in the engine.
 */
public final class SimDevice implements Device {
    private final CallLog calls = new CallLog();
    private final SimStreams streams;
    private final SimMemory memory;
    private final SimBlas blas;
    private final SimDnn dnn;
    private final KernelLauncher kernels;
    /** The modules of the kernels launched so far: those the JCuda device would have loaded. */
    private final Set<String> loadedModules = new HashSet<>();
    private final SimProfiler profiler;
    private int computeCapability;

    /** A device with {@link SimMemory#DEFAULT_CAPACITY} bytes of memory. */
    public SimDevice() {
        this(SimMemory.DEFAULT_CAPACITY);
    }

    /** A device with {@code capacityBytes} of memory (cuMemGetInfo's total; more is CUDA_ERROR_OUT_OF_MEMORY). */
    public SimDevice(long capacityBytes) {
        streams = new SimStreams(calls);
        memory = new SimMemory(calls, streams, capacityBytes);
        blas = new SimBlas(calls, memory, streams);
        dnn = new SimDnn(calls, memory, streams);
        profiler = new SimProfiler(calls);
        calls.recording().writePointersWith(memory::position);
        // Our kernels run as their Java references (kernels/reference), which the kernel tests check against the
        // host build of the same .cu sources; launches go through the stream so that capture records them.
        KernelMemory km = new ByteBufferMemory() {
            @Override
            protected ByteBuffer bytes(Object ptr, long offset, int count, int elementBytes) {
                return memory.bytes(((DevicePtr) ptr).plus(offset), count, elementBytes);
            }

            @Override
            public boolean isNull(Object ptr) {
                return ptr == null || (ptr instanceof DevicePtr d && d.isNull());
            }
        };
        KernelLauncher reference = new ReferenceKernelLauncher(km, (stream, call, work) -> {
            calls.enter(call);
            streams.enqueue((Stream) stream, call, work);
        });
        // The JCuda device loads a kernel's PTX module at the kernel's first launch (cuModuleLoadDataEx), which a
        // driver before CUDA 12.3 refuses while a stream captures: so does the simulator, for every driver. The
        // module's code takes device memory (charged as its PTX's size), so a load can run out of it.
        kernels = (kernel, gridX, blockX, sharedBytes, stream, args) -> {
            if (!loadedModules.contains(kernel.module())) {
                loadModule(kernel.module(), kernel.name());
            }
            try {
                reference.launch(kernel, gridX, blockX, sharedBytes, stream, args);
                calls.arguments(kernel.name(), gridX, blockX, sharedBytes, stream, args);
            } catch (KernelTrapException trap) {
                // A launch shape the kernel's KERNEL_REQUIRE refuses: on a GPU the kernel starts and traps.
                calls.kernelFailed(trap);
            }
        };
    }

    /**
     * cuModuleLoadDataEx of one of our PTX modules: refused while a stream captures (drivers before CUDA 12.3 do,
     * and the simulator does for every driver), and charged its PTX's size of device memory, so a load can run out
     * of it. The JCuda device loads a module at its first kernel's first launch ({@code kernel} names that one, or
     * is null where the module is loaded by itself, as the host stand-in's program does).
     */
    public void loadModule(String module, String kernel) {
        String load = "cuModuleLoadDataEx";
        calls.enter(load);
        calls.arguments(module);
        streams.prohibitDuringCapture(load + " (module " + module + (kernel == null ? "" : ", first launch of "
                + kernel) + ")");
        memory.reserve(load, PtxSource.read(module).length());
        loadedModules.add(module);
    }

    @Override
    public KernelLauncher kernels() {
        return kernels;
    }

    @Override
    public String name() {
        return computeCapability == 0 ? "simulator" : "simulator of compute capability " + computeCapability / 10 + "."
                + computeCapability % 10;
    }

    /** 0 (any card) unless {@link #simulatingComputeCapability} set one. */
    @Override
    public int computeCapability() {
        return computeCapability;
    }

    /**
     * Makes the simulator report a card of compute capability {@code cc} (major * 10 + minor), so that what the
     * engine refuses on older cards can be tested; the simulated arithmetic does not change.
     */
    public SimDevice simulatingComputeCapability(int cc) {
        this.computeCapability = cc;
        return this;
    }

    @Override
    public SimMemory memory() {
        return memory;
    }

    @Override
    public SimStreams streams() {
        return streams;
    }

    @Override
    public SimBlas blas() {
        return blas;
    }

    @Override
    public SimDnn dnn() {
        return dnn;
    }

    /** Records NVTX ranges and the profiler window (see {@link SimProfiler}). */
    @Override
    public SimProfiler profiler() {
        return profiler;
    }

    /**
     * How many times each CUDA function was called, by name (cuMemAlloc, cublasSgemm, cudnnConvolutionForward, ...),
     * sorted by name. API methods that stand for several functions count each (copyToHost: cuMemcpyDtoHAsync and
     * cuStreamSynchronize; tensor: cudnnCreateTensorDescriptor and cudnnSetTensor4dDescriptor). Calls that failed
     * are counted too. Work replayed by cuGraphLaunch is not: see {@link #replayedNodes()}.
     */
    public Map<String, Long> callCounts() {
        return calls.snapshot();
    }

    /**
     * Starts recording the calls served from now on, in order, by function name as {@link #callCounts} counts
     * them and each with its arguments (see {@link CallRecording}), so that two paths to the simulator (the device
     * API directly, or JCuda through the host stand-in) can be compared call by call.
     */
    public void recordCalls() {
        calls.recording().start();
    }

    /** The calls served since {@link #recordCalls}, in order. */
    public List<String> recordedCalls() {
        return calls.recording().calls();
    }

    /** Calls of one function, 0 if never called. */
    public long callCount(String function) {
        return calls.count(function);
    }

    /** cuMemAlloc calls so far: unchanged across a training step means the step allocates nothing. */
    public long allocationCount() {
        return calls.count("cuMemAlloc");
    }

    /** Total API calls served. */
    public long totalCalls() {
        return calls.snapshot().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Graph nodes run by cuGraphLaunch so far. */
    public long replayedNodes() {
        return calls.replayedNodes();
    }

    /** Zeroes the counters (e.g. after set-up, to count one step's calls). */
    public void resetCounts() {
        calls.reset();
    }

    /**
     * Frees all memory; every later API call fails with CUDA_ERROR_INVALID_CONTEXT. Closing twice is harmless.
     */
    @Override
    public void close() {
        if (!calls.closed()) {
            calls.close();
            memory.releaseAll();
        }
    }
}
