package org.alexnetcuda.device;

import org.alexnetcuda.device.Handles.Event;
import org.alexnetcuda.device.Handles.Graph;
import org.alexnetcuda.device.Handles.GraphExec;
import org.alexnetcuda.device.Handles.Stream;

/**
 * Streams, events and graphs: cuStreamCreate/Destroy/Synchronize, cuEventCreate/Record/Synchronize/ElapsedTime,
 * cuStreamBeginCapture/EndCapture, cuGraphInstantiate, cuGraphLaunch, cuGraphDestroy, cuGraphExecDestroy.
 * During capture, work issued to the capturing stream is recorded, not run; synchronising that stream, copying to
 * the host and allocating or freeing memory are not allowed (CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED).
 */
public interface DeviceStreams {
    Stream createStream();

    void destroy(Stream stream);

    void synchronize(Stream stream);

    Event createEvent();

    void destroy(Event event);

    void record(Event event, Stream stream);

    void synchronize(Event event);

    /** Milliseconds between two recorded, completed events. */
    float elapsedMillis(Event start, Event end);

    /** cuStreamBeginCapture in global mode. */
    void beginCapture(Stream stream);

    Graph endCapture(Stream stream);

    GraphExec instantiate(Graph graph);

    void launch(GraphExec exec, Stream stream);

    void destroy(Graph graph);

    void destroy(GraphExec exec);
}
