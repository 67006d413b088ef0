package org.alexnetcuda.device.sim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

import org.alexnetcuda.device.DevicePtr;

/**
 * The calls the simulator serves, in order, each with its arguments, while a test records them: so that two paths
 * to the simulator (the device API directly, or JCuda through the host stand-in) can be compared call by call.
 * Arguments are written so that two devices write the same call alike: numbers and enums as their values,
 * descriptors by their contents, a kernel's arguments flattened, streams and events numbered in the order they
 * first appear, and device pointers as offsets into their allocation ({@link #writePointersWith}), not addresses.
 */
final class CallRecording {
    /** The functions entered since {@link #start}, each with its arguments; null while not recording. */
    private List<String> calls;
    /** Where the entry is that the next {@link #arguments} belongs to. */
    private int next = -1;
    private final Map<Object, Integer> handlesSeen = new IdentityHashMap<>();
    private Function<DevicePtr, String> pointers = String::valueOf;

    synchronized void writePointersWith(Function<DevicePtr, String> writer) {
        this.pointers = writer;
    }

    /** Starts a recording, forgetting an earlier one. */
    synchronized void start() {
        calls = new ArrayList<>();
        next = -1;
        handlesSeen.clear();
    }

    /** An API call entered, standing for these functions (copyToHost: cuMemcpyDtoHAsync, cuStreamSynchronize). */
    synchronized void entered(String... functions) {
        if (calls != null) {
            next = calls.size();
            calls.addAll(List.of(functions));
        }
    }

    /**
     * The arguments of the function just entered, written after its name; called again, those of the call's next
     * function (a copy's cuStreamSynchronize). Nothing while not recording.
     */
    synchronized void arguments(Object... args) {
        if (calls == null || next < 0 || next >= calls.size()) {
            return;
        }
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (Object a : args) {
            j.add(write(a));
        }
        calls.set(next, calls.get(next) + j);
        next++;
    }

    /** The calls since {@link #start}, in order; empty when not recording. */
    synchronized List<String> calls() {
        return calls == null ? List.of() : List.copyOf(calls);
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
}
