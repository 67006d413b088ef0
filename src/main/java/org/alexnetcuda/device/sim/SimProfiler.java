package org.alexnetcuda.device.sim;

import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.Profiler;

/**
 * The profiler calls, recorded: each as a line of {@link #events} ("push conv1 forward", "pop", "start", "stop")
 * and counted under its CUDA/NVTX function name. Stricter than NVTX, which ignores an unmatched pop: here it is an
 * error, and so is a profiler stop without a start, since either means the engine's ranges or window are wrong.
 */
public final class SimProfiler implements Profiler {
    private final CallLog calls;
    private final List<String> events = new ArrayList<>();
    private int depth;
    private boolean collecting;

    SimProfiler(CallLog calls) {
        this.calls = calls;
    }

    @Override
    public void push(String range) {
        calls.enter("nvtxRangePushA");
        events.add("push " + range);
        depth++;
    }

    @Override
    public void pop() {
        calls.enter("nvtxRangePop");
        if (depth == 0) {
            throw new DeviceException("nvtxRangePop", Status.INVALID_VALUE, "no open range");
        }
        events.add("pop");
        depth--;
    }

    @Override
    public void start() {
        calls.enter("cuProfilerStart");
        events.add("start");
        collecting = true;
    }

    @Override
    public void stop() {
        calls.enter("cuProfilerStop");
        if (!collecting) {
            throw new DeviceException("cuProfilerStop", Status.INVALID_VALUE, "the profiler was not started");
        }
        events.add("stop");
        collecting = false;
    }

    @Override
    public String describe() {
        return "simulated (ranges and the window are recorded, nothing is profiled)";
    }

    /** Everything recorded so far, in order. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** Ranges open now. */
    public int depth() {
        return depth;
    }

    /** Between a start and a stop. */
    public boolean collecting() {
        return collecting;
    }

    /** Forgets the events (the counters stay). */
    public void clear() {
        events.clear();
    }
}
