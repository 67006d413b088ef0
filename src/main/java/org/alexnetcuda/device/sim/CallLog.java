package org.alexnetcuda.device.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.DevicePtr;
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
    /** The functions entered, each with its arguments, in order, while a recording is on (null when off). */
    private List<String> sequence;
    /** Where the last enter's first function is in the recording, the entry its arguments belong to. */
    private int lastEntered = -1;
    /** Streams and events in the recording, numbered in the order they first appear there (ids differ by device). */
    private final Map<Object, Integer> handlesSeen = new IdentityHashMap<>();
    /** How a device pointer is written in the recording: as an offset into its allocation, not an address. */
    private Function<DevicePtr, String> pointers = String::valueOf;
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
        if (sequence != null) {
            synchronized (this) {
                lastEntered = sequence.size();
            }
        }
        for (String f : functions) {
            counts.computeIfAbsent(f, k -> new LongAdder()).increment();
            if (sequence != null) {
                synchronized (this) {
                    sequence.add(f);
                }
            }
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

    /** Sets how device pointers are written in the recording. */
    void writePointersWith(Function<DevicePtr, String> writer) {
        this.pointers = writer;
    }

    /**
     * The arguments of the call just entered, written into the recording after its name (nothing when not
     * recording; called again, after the name of the enter's next function): numbers and enums as their values, pointers by {@link #writePointersWith}, handles and
     * descriptors as their contents, nested arrays (a kernel's arguments) flattened.
     */
    synchronized void arguments(Object... args) {
        if (sequence == null || lastEntered < 0 || lastEntered >= sequence.size()) {
            return;
        }
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (Object a : args) {
            j.add(write(a));
        }
        sequence.set(lastEntered, sequence.get(lastEntered) + j);
        lastEntered++; // a second call fills the enter's next function (a copy's cuStreamSynchronize)
    }

    private String write(Object a) {
        if (a instanceof DevicePtr p) {
            return pointers.apply(p);
        }
        if (a instanceof Object[] many) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (Object o : many) {
                j.add(write(o));
            }
            return j.toString();
        }
        if (a instanceof Enum<?> e) {
            return e.name();
        }
        if (a instanceof SimStream || a instanceof SimEvent) {
            int n = handlesSeen.computeIfAbsent(a, k -> handlesSeen.size() + 1);
            return (a instanceof SimStream ? "stream #" : "event #") + n;
        }
        return String.valueOf(a);
    }

    /** Starts recording the order of calls, forgetting an earlier recording. */
    synchronized void startRecording() {
        sequence = new ArrayList<>();
        lastEntered = -1;
        handlesSeen.clear();
    }

    /** The calls since {@link #startRecording}, in order; empty when not recording. */
    synchronized List<String> recorded() {
        return sequence == null ? List.of() : List.copyOf(sequence);
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
