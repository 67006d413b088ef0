package org.alexnetcuda.device.sim;

import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.DeviceStreams;
import org.alexnetcuda.device.Handles.Event;
import org.alexnetcuda.device.Handles.Graph;
import org.alexnetcuda.device.Handles.GraphExec;
import org.alexnetcuda.device.Handles.Stream;

/**
 * Streams, events and graphs. The model is the simplest one that keeps stream order: work runs on the host thread
 * the moment it is issued, so every stream is always complete and synchronising is a no-op. Event timestamps are
 * System.nanoTime when the record runs, so elapsedMillis measures simulated (host) time, not GPU time.
 *
 * <p>Capture (one at a time): after beginCapture(s), work issued to s is recorded as {@link GraphNode}s instead of
 * run; endCapture returns them as a {@link SimGraph}, instantiate snapshots it and launch replays the nodes in order.
 * Work for other explicit streams still runs at once. As in CUDA's global capture mode, calls that would synchronise
 * or allocate are refused while a capture is active (cuMemAlloc, cuMemFree, host copies in either direction,
 * stream and event synchronisation) with CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, and they invalidate the capture:
 * further work on the capturing stream and endCapture then fail with CUDA_ERROR_STREAM_CAPTURE_INVALIDATED. Work
 * on the legacy default stream (a null Stream) during a capture is CUDA_ERROR_STREAM_CAPTURE_IMPLICIT and also
 * invalidates it. cuBLAS and cuDNN work is issued through {@link #enqueue} on the stream set on their handle, so it
 * is captured exactly when that stream is the capturing one; kernel simulations should issue theirs the same way.
 */
public final class SimStreams implements DeviceStreams {
    private final CallLog calls;
    private int streamIds;
    private int eventIds;
    private SimStream capturing;
    private List<GraphNode> captured;
    /** The call that invalidated the active capture, or null. */
    private String invalidatedBy;

    SimStreams(CallLog calls) {
        this.calls = calls;
    }

    /**
     * Issues work to a stream: recorded when the stream is capturing, run now otherwise. {@code call} is the CUDA
     * function that issued it (cuLaunchKernel, cublasSgemm, ...), used in error messages while the work runs.
     * Check arguments before calling this, so that a bad call fails when it is made, also during capture.
     */
    public void enqueue(Stream stream, String call, Runnable work) {
        SimStream s = resolve(call, stream);
        if (capturing != null) {
            if (s == capturing) {
                if (invalidatedBy != null) {
                    throw new DeviceException(call, Status.CAPTURE_INVALIDATED, "the capture of " + capturing
                            + " was invalidated by " + invalidatedBy);
                }
                captured.add(new GraphNode(call, work));
                return;
            }
            if (s == null) {
                invalidate(call);
                throw new DeviceException(call, Status.CAPTURE_IMPLICIT, "work on the legacy default stream while "
                        + capturing + " is capturing; the capture is invalidated");
            }
        }
        calls.runWork(call, work);
    }

    /** Whether a capture is active. */
    public boolean capturing() {
        return capturing != null;
    }

    /** Refuses a call that cannot be captured, invalidating the active capture, as CUDA does. */
    void prohibitDuringCapture(String call) {
        if (capturing != null) {
            invalidate(call);
            throw new DeviceException(call, Status.CAPTURE_UNSUPPORTED, "not allowed while " + capturing
                    + " is capturing; the capture is invalidated");
        }
    }

    private void invalidate(String call) {
        if (invalidatedBy == null) {
            invalidatedBy = call;
        }
    }

    // ---------------------------------------------------------------- streams

    @Override
    public Stream createStream() {
        calls.enter("cuStreamCreate");
        return new SimStream(this, ++streamIds);
    }

    @Override
    public void destroy(Stream stream) {
        calls.enter("cuStreamDestroy");
        calls.arguments(stream);
        SimStream s = explicit("cuStreamDestroy", stream);
        if (s == capturing) {
            throw new DeviceException("cuStreamDestroy", Status.ILLEGAL_STATE, s + " is capturing");
        }
        s.destroyed = true;
    }

    @Override
    public void synchronize(Stream stream) {
        calls.enter("cuStreamSynchronize");
        calls.arguments(stream);
        resolve("cuStreamSynchronize", stream);
        prohibitDuringCapture("cuStreamSynchronize");
    }

    // ---------------------------------------------------------------- events

    @Override
    public Event createEvent() {
        calls.enter("cuEventCreate");
        return new SimEvent(this, ++eventIds);
    }

    @Override
    public void destroy(Event event) {
        calls.enter("cuEventDestroy");
        calls.arguments(event);
        event("cuEventDestroy", event).destroyed = true;
    }

    @Override
    public void record(Event event, Stream stream) {
        calls.enter("cuEventRecord");
        calls.arguments(event, stream);
        SimEvent e = event("cuEventRecord", event);
        enqueue(stream, "cuEventRecord", () -> e.recordedNanos = System.nanoTime());
    }

    @Override
    public void synchronize(Event event) {
        calls.enter("cuEventSynchronize");
        calls.arguments(event);
        event("cuEventSynchronize", event);
        prohibitDuringCapture("cuEventSynchronize");
    }

    @Override
    public float elapsedMillis(Event start, Event end) {
        calls.enter("cuEventElapsedTime");
        calls.arguments(start, end);
        SimEvent a = event("cuEventElapsedTime", start);
        SimEvent b = event("cuEventElapsedTime", end);
        for (SimEvent e : new SimEvent[] {a, b}) {
            if (e.recordedNanos < 0) {
                throw new DeviceException("cuEventElapsedTime", Status.INVALID_HANDLE, e + " has not been recorded");
            }
        }
        return (b.recordedNanos - a.recordedNanos) / 1e6f;
    }

    // ---------------------------------------------------------------- capture and graphs

    @Override
    public void beginCapture(Stream stream) {
        String call = "cuStreamBeginCapture";
        calls.enter(call);
        calls.arguments(stream);
        SimStream s = explicit(call, stream);
        if (capturing == s) {
            throw new DeviceException(call, Status.ILLEGAL_STATE, s + " is already capturing");
        }
        if (capturing != null) {
            throw new DeviceException(call, Status.NOT_SUPPORTED, "the simulator captures one stream at a time and "
                    + capturing + " is capturing");
        }
        capturing = s;
        captured = new ArrayList<>();
        invalidatedBy = null;
    }

    @Override
    public Graph endCapture(Stream stream) {
        String call = "cuStreamEndCapture";
        calls.enter(call);
        calls.arguments(stream);
        SimStream s = explicit(call, stream);
        if (capturing != s) {
            throw new DeviceException(call, Status.ILLEGAL_STATE, s + " is not capturing");
        }
        List<GraphNode> nodes = captured;
        String invalidated = invalidatedBy;
        capturing = null;
        captured = null;
        invalidatedBy = null;
        if (invalidated != null) {
            throw new DeviceException(call, Status.CAPTURE_INVALIDATED, "the capture of " + s
                    + " was invalidated by " + invalidated);
        }
        return new SimGraph(this, nodes);
    }

    @Override
    public GraphExec instantiate(Graph graph) {
        calls.enter("cuGraphInstantiate");
        calls.arguments(graph);
        return new SimGraphExec(this, graph("cuGraphInstantiate", graph).nodes);
    }

    @Override
    public void launch(GraphExec exec, Stream stream) {
        calls.enter("cuGraphLaunch");
        calls.arguments(exec, stream);
        SimGraphExec x = exec("cuGraphLaunch", exec);
        enqueue(stream, "cuGraphLaunch", () -> {
            for (GraphNode node : x.nodes) {
                calls.running(node.call() + " (graph node, cuGraphLaunch)");
                calls.countReplayedNode();
                node.work().run();
            }
        });
    }

    @Override
    public void destroy(Graph graph) {
        calls.enter("cuGraphDestroy");
        calls.arguments(graph);
        graph("cuGraphDestroy", graph).destroyed = true;
    }

    @Override
    public void destroy(GraphExec exec) {
        calls.enter("cuGraphExecDestroy");
        calls.arguments(exec);
        exec("cuGraphExecDestroy", exec).destroyed = true;
    }

    // ---------------------------------------------------------------- handles

    /** The simulator's stream behind a handle; null is the legacy default stream. */
    SimStream resolve(String call, Stream stream) {
        if (stream == null) {
            return null;
        }
        if (!(stream instanceof SimStream s) || s.owner != this || s.destroyed) {
            throw new DeviceException(call, Status.INVALID_HANDLE, "not a live stream of this device: " + stream);
        }
        return s;
    }

    /** Like resolve, for calls that need a created stream (capture cannot take the legacy stream). */
    private SimStream explicit(String call, Stream stream) {
        if (stream == null) {
            throw new DeviceException(call, Status.INVALID_HANDLE, "the legacy default stream (null) is not allowed here");
        }
        return resolve(call, stream);
    }

    private SimEvent event(String call, Event event) {
        if (!(event instanceof SimEvent e) || e.owner != this || e.destroyed) {
            throw new DeviceException(call, Status.INVALID_HANDLE, "not a live event of this device: " + event);
        }
        return e;
    }

    private SimGraph graph(String call, Graph graph) {
        if (!(graph instanceof SimGraph g) || g.owner != this || g.destroyed) {
            throw new DeviceException(call, Status.INVALID_HANDLE, "not a live graph of this device: " + graph);
        }
        return g;
    }

    private SimGraphExec exec(String call, GraphExec exec) {
        if (!(exec instanceof SimGraphExec x) || x.owner != this || x.destroyed) {
            throw new DeviceException(call, Status.INVALID_HANDLE, "not a live graph exec of this device: " + exec);
        }
        return x;
    }
}
