package org.alexnetcuda.device.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.kernels.reference.KernelTrapException;

/**
 * Counts the API calls the simulator serves, by CUDA function name, and remembers which call is running so that
 * an error found deep inside (a memory access of a replayed graph node) names the call it belongs to. Also the
 * device's open/closed state: every call enters here first, so a call after close fails in one place.
 *
 * <p>And the context's sticky error, as a GPU has it: a kernel that traps (KERNEL_REQUIRE) fails its launch
 * asynchronously, the launch call itself succeeds, nothing runs on the device after it, and the failure
 * (CUDA_ERROR_LAUNCH_FAILED) is reported by the next call that waits for the device (a stream or event
 * synchronisation, a copy to the host) and by every call after that, until the process ends.
 */
final class CallLog {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder replayed = new LongAdder();
    private volatile String current = "(no call)";
    /** The order of calls and their arguments, while a test records them. */
    private final CallRecording recording = new CallRecording();
    /** Greater than 0 while enqueued work runs (nested for a graph launched from a graph). */
    private int workDepth;
    private volatile boolean closed;
    /** The sticky error's detail once a kernel failed, else null; reported once a synchronising call saw it. */
    private String kernelFailure;
    private boolean kernelFailureReported;

    /**
     * Starts an API call: counts each CUDA function the API method stands for (copyToHost is cuMemcpyDtoHAsync
     * and cuStreamSynchronize) and makes the first the current call.
     */
    void enter(String... functions) {
        if (closed) {
            throw new DeviceException(functions[0], Status.INVALID_CONTEXT, "the simulated device is closed");
        }
        boolean waits = false;
        recording.entered(functions);
        for (String f : functions) {
            counts.computeIfAbsent(f, k -> new LongAdder()).increment();
            waits |= SYNCHRONISING.contains(f);
        }
        current = functions[0];
        if (kernelFailure != null && (waits || kernelFailureReported)) {
            kernelFailureReported = true;
            throw new DeviceException(functions[0], Status.LAUNCH_FAILED, kernelFailure);
        }
    }

    /** The calls that wait for the device's work, and so report a kernel's failure first. */
    private static final java.util.Set<String> SYNCHRONISING = java.util.Set.of("cuStreamSynchronize",
            "cuEventSynchronize", "cuCtxSynchronize", "cuMemcpyDtoH");

    /** Marks the context failed by a kernel's trap (the first one counts; nothing runs after it). */
    void kernelFailed(KernelTrapException trap) {
        if (kernelFailure == null) {
            kernelFailure = "an earlier kernel launch failed; simulator: " + trap.getMessage();
        }
    }

    /** The call whose work is running now, for error messages. */
    String current() {
        return current;
    }

    /** Sets the current call while enqueued work runs (it may run later than its call, in a graph launch). */
    void running(String call) {
        current = call;
    }

    /** Runs enqueued work under its call's name, then restores the name that was current. */
    void runWork(String call, Runnable work) {
        if (kernelFailure != null) {
            return;  // the context has failed: the device runs nothing more
        }
        String before = current;
        workDepth++;
        current = call;
        try {
            work.run();
        } catch (KernelTrapException trap) {
            kernelFailed(trap);
        } finally {
            workDepth--;
            current = before;
        }
    }

    /**
     * The name for a memory access's errors: the call whose work is running, or, for an access the host makes
     * directly through SimMemory's accessors, a name that says so (rather than the last API call).
     */
    String accessName() {
        return workDepth > 0 ? current : "SimMemory access";
    }

    void countReplayedNode() {
        replayed.increment();
    }

    long replayedNodes() {
        return replayed.sum();
    }

    long count(String function) {
        LongAdder a = counts.get(function);
        return a == null ? 0 : a.sum();
    }

    /** The arguments of the call just entered, for the recording (see {@link CallRecording#arguments}). */
    void arguments(Object... args) {
        recording.arguments(args);
    }

    CallRecording recording() {
        return recording;
    }

    /** A sorted snapshot. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    void reset() {
        counts.clear();
        replayed.reset();
    }

    void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }
}
