package org.alexnetcuda.device.jcuda;

import org.alexnetcuda.device.DeviceStreams;
import org.alexnetcuda.device.Handles;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * Streams, events and graphs through the driver API (JCudaDriver 12.6.0: cuStreamBeginCapture binds to
 * cuStreamBeginCapture_v2, cuGraphInstantiate(exec, graph, flags) to cuGraphInstantiateWithFlags; it is the
 * only cuGraphInstantiate overload in 12.6.0).
 */
final class JCudaStreams implements DeviceStreams {
    private final JCudaContext context;

    JCudaStreams(JCudaContext context) {
        this.context = context;
    }

    /**
     * cuStreamCreate with CU_STREAM_DEFAULT (a blocking stream): work on the legacy default stream, should any
     * code use it, still orders against it, and doing so during a global-mode capture is reported as an error
     * instead of silently racing.
     */
    @Override
    public Handles.Stream createStream() {
        context.enter();
        CUstream s = new CUstream();
        Check.cu(JCudaDriver.cuStreamCreate(s, CUstream_flags.CU_STREAM_DEFAULT), "cuStreamCreate", null);
        return new JCudaHandles.Stream(s);
    }

    @Override
    public void destroy(Handles.Stream stream) {
        context.enter();
        Check.cu(JCudaDriver.cuStreamDestroy(JCudaHandles.cu(stream)), "cuStreamDestroy", null);
    }

    @Override
    public void synchronize(Handles.Stream stream) {
        context.enter();
        Check.cu(JCudaDriver.cuStreamSynchronize(JCudaHandles.cu(stream)), "cuStreamSynchronize", null);
    }

    /** cuEventCreate with CU_EVENT_DEFAULT: timing enabled, for {@link #elapsedMillis}. */
    @Override
    public Handles.Event createEvent() {
        context.enter();
        CUevent e = new CUevent();
        Check.cu(JCudaDriver.cuEventCreate(e, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate", null);
        return new JCudaHandles.Event(e);
    }

    @Override
    public void destroy(Handles.Event event) {
        context.enter();
        Check.cu(JCudaDriver.cuEventDestroy(event(event)), "cuEventDestroy", null);
    }

    @Override
    public void record(Handles.Event event, Handles.Stream stream) {
        context.enter();
        Check.cu(JCudaDriver.cuEventRecord(event(event), JCudaHandles.cu(stream)), "cuEventRecord", null);
    }

    @Override
    public void synchronize(Handles.Event event) {
        context.enter();
        Check.cu(JCudaDriver.cuEventSynchronize(event(event)), "cuEventSynchronize", null);
    }

    @Override
    public float elapsedMillis(Handles.Event start, Handles.Event end) {
        context.enter();
        float[] ms = new float[1];
        Check.cu(JCudaDriver.cuEventElapsedTime(ms, event(start), event(end)), "cuEventElapsedTime", null);
        return ms[0];
    }

    @Override
    public void beginCapture(Handles.Stream stream) {
        context.enter();
        Check.cu(JCudaDriver.cuStreamBeginCapture(JCudaHandles.cu(stream),
                CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_GLOBAL), "cuStreamBeginCapture", "global mode");
    }

    @Override
    public Handles.Graph endCapture(Handles.Stream stream) {
        context.enter();
        CUgraph g = new CUgraph();
        Check.cu(JCudaDriver.cuStreamEndCapture(JCudaHandles.cu(stream), g), "cuStreamEndCapture", null);
        return new JCudaHandles.Graph(g);
    }

    /** cuGraphInstantiate with flags 0 (no auto-free-on-launch, no upload, no device launch). */
    @Override
    public Handles.GraphExec instantiate(Handles.Graph graph) {
        context.enter();
        CUgraphExec exec = new CUgraphExec();
        Check.cu(JCudaDriver.cuGraphInstantiate(exec, JCudaHandles.as(JCudaHandles.Graph.class, graph).cu(), 0L),
                "cuGraphInstantiate", null);
        return new JCudaHandles.GraphExec(exec);
    }

    @Override
    public void launch(Handles.GraphExec exec, Handles.Stream stream) {
        context.enter();
        Check.cu(JCudaDriver.cuGraphLaunch(JCudaHandles.as(JCudaHandles.GraphExec.class, exec).cu(),
                JCudaHandles.cu(stream)), "cuGraphLaunch", null);
    }

    @Override
    public void destroy(Handles.Graph graph) {
        context.enter();
        Check.cu(JCudaDriver.cuGraphDestroy(JCudaHandles.as(JCudaHandles.Graph.class, graph).cu()),
                "cuGraphDestroy", null);
    }

    @Override
    public void destroy(Handles.GraphExec exec) {
        context.enter();
        Check.cu(JCudaDriver.cuGraphExecDestroy(JCudaHandles.as(JCudaHandles.GraphExec.class, exec).cu()),
                "cuGraphExecDestroy", null);
    }

    private static CUevent event(Handles.Event e) {
        return JCudaHandles.as(JCudaHandles.Event.class, e).cu();
    }
}
