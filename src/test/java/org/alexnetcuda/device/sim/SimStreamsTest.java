package org.alexnetcuda.device.sim;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.alexnetcuda.device.Blas.Op;
import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Dnn;
import org.alexnetcuda.device.Handles.ConvDesc;
import org.alexnetcuda.device.Handles.Event;
import org.alexnetcuda.device.Handles.FilterDesc;
import org.alexnetcuda.device.Handles.Graph;
import org.alexnetcuda.device.Handles.GraphExec;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.alexnetcuda.device.sim.SimFixtures.assertStatus;
import static org.alexnetcuda.device.sim.SimFixtures.randomFloats;
import static org.alexnetcuda.device.sim.SimFixtures.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimStreamsTest {
    private final long seed = SimFixtures.freshSeed();
    private final SplittableRandom rnd = new SplittableRandom(seed);
    private final SimDevice device = new SimDevice();
    private final SimMemory mem = device.memory();
    private final SimStreams streams = device.streams();
    private final Stream stream = streams.createStream();

    @AfterEach
    void close() {
        device.close();
    }

    /** The buffers of a small "step": a conv, a bias add, an FC sgemm, a copy, a memset, an accumulation. */
    private final class Step {
        final DevicePtr x;
        final DevicePtr w;
        final DevicePtr bias;
        final DevicePtr y;
        final DevicePtr fcW;
        final DevicePtr out;
        final DevicePtr copy;
        final DevicePtr acc;
        final DevicePtr workspace;

        Step(float[] xv, float[] wv, float[] bv, float[] fcv, float[] accv) {
            x = upload(device, xv);
            w = upload(device, wv);
            bias = upload(device, bv);
            y = mem.alloc(4 * 2 * 4 * 5 * 5);
            fcW = upload(device, fcv);
            out = mem.alloc(4 * 2 * 3);
            copy = mem.alloc(4 * 2 * 3);
            acc = upload(device, accv);
            workspace = mem.alloc(1 << 16);
        }

        float[] result() {
            float[] r = new float[6 + 6 + 6 + 200];
            System.arraycopy(mem.readFloats(out, 6), 0, r, 0, 6);
            System.arraycopy(mem.readFloats(copy, 6), 0, r, 6, 6);
            System.arraycopy(mem.readFloats(acc, 6), 0, r, 12, 6);
            System.arraycopy(mem.readFloats(y, 200), 0, r, 18, 200);
            return r;
        }
    }

    private Step newStep(float[][] data) {
        return new Step(data[0], data[1], data[2], data[3], data[4]);
    }

    /** Issues the step's work on the stream: what the engine would capture. */
    private void issue(Step s) {
        SimDnn dnn = device.dnn();
        SimBlas blas = device.blas();
        dnn.setStream(stream);
        blas.setStream(stream);
        TensorDesc xd = dnn.tensor(2, 3, 7, 7);
        FilterDesc wd = dnn.filter(4, 3, 3, 3);
        ConvDesc cd = dnn.convolution(0, 0, 1, 1, false);
        TensorDesc yd = dnn.tensor(2, 4, 5, 5);
        TensorDesc bd = dnn.tensor(1, 4, 1, 1);
        dnn.convolutionForward(1f, xd, s.x, wd, s.w, cd, 1, s.workspace, 1 << 16, 0f, yd, s.y);
        dnn.addTensor(1f, bd, s.bias, 1f, yd, s.y);
        // out (3 x 2, column-major) = fcW^T (3 x 100) . y (100 x 2)
        blas.sgemm(Op.T, Op.N, 3, 2, 100, 1f, s.fcW, 100, s.y, 100, 0f, s.out, 3);
        mem.copyDeviceToDevice(s.copy, s.out, 24, stream);
        mem.setD32(s.out.plusFloats(5), Float.floatToIntBits(7f), 1, stream);
        // acc = 0.5 * acc + out: state that evolves from one replay to the next
        blas.sgemv(Op.N, 6, 1, 1f, s.out, 6, s.fcW, 1, 0.5f, s.acc, 1);
    }

    private float[][] randomStepData() {
        return new float[][] {randomFloats(rnd, 2 * 3 * 7 * 7), randomFloats(rnd, 4 * 3 * 3 * 3),
                randomFloats(rnd, 4), randomFloats(rnd, 100 * 3), randomFloats(rnd, 6)};
    }

    @Test
    void captureRecordsWithoutRunningAndReplayEqualsEagerExecution() {
        float[][] data = randomStepData();
        Step eager = newStep(data);
        Step captured = newStep(data);
        float[] before = captured.result();

        streams.beginCapture(stream);
        issue(captured);
        Graph graph = streams.endCapture(stream);
        assertEquals(before.length, captured.result().length);
        assertArrayEquals(before, captured.result(), "capture must not run the work");
        assertEquals(List.of("cudnnConvolutionForward", "cudnnAddTensor", "cublasSgemm", "cuMemcpyDtoDAsync",
                "cuMemsetD32Async", "cublasSgemv"), ((SimGraph) graph).calls());

        GraphExec exec = streams.instantiate(graph);
        streams.destroy(graph); // the exec keeps its own snapshot, as in CUDA
        for (int round = 0; round < 3; round++) {
            issue(eager);
            streams.launch(exec, stream);
            assertArrayEquals(eager.result(), captured.result(), "round " + round + ", seed " + seed);
        }
        assertEquals(18, device.replayedNodes());
        assertEquals(3, device.callCount("cuGraphLaunch"));
        streams.synchronize(stream);
        streams.destroy(exec);
        assertStatus("CUDA_ERROR_INVALID_HANDLE", () -> streams.launch(exec, stream));
    }

    @Test
    void workOnOtherStreamsRunsDuringCapture() {
        Stream other = streams.createStream();
        DevicePtr p = mem.alloc(16);
        DevicePtr q = mem.alloc(16);
        streams.beginCapture(stream);
        mem.setD32(p, 5, 4, other);
        mem.setD32(q, 6, 4, stream);
        assertArrayEquals(new int[] {5, 5, 5, 5}, mem.readInts(p, 4));
        assertArrayEquals(new int[] {-1, -1, -1, -1}, mem.readInts(q, 4));
        GraphExec exec = streams.instantiate(streams.endCapture(stream));
        streams.launch(exec, other);
        assertArrayEquals(new int[] {6, 6, 6, 6}, mem.readInts(q, 4));
    }

    /** Each call that cannot be captured: refused, and the capture is invalidated. */
    @Test
    void callsThatCannotBeCapturedInvalidateTheCapture() {
        DevicePtr p = mem.alloc(64);
        DevicePtr spare = mem.alloc(64);
        Event e = streams.createEvent();
        List<Consumer<Stream>> refused = List.of(
                s -> mem.alloc(64),
                s -> mem.free(spare),
                s -> mem.copyToHost(new float[4], 0, 4, p, s),
                s -> mem.copyToDevice(p, new float[4], 0, 4, s),
                s -> streams.synchronize(s),
                s -> streams.synchronize(e));
        for (Consumer<Stream> call : refused) {
            streams.beginCapture(stream);
            mem.setD32(p, 1, 16, stream);
            DeviceException x = assertStatus("CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED", () -> call.accept(stream));
            assertTrue(x.getMessage().contains("invalidated"), x.getMessage());
            // Further work on the capturing stream is refused, and so is ending the capture.
            assertStatus("CUDA_ERROR_STREAM_CAPTURE_INVALIDATED", () -> mem.setD32(p, 2, 16, stream));
            assertStatus("CUDA_ERROR_STREAM_CAPTURE_INVALIDATED", () -> streams.endCapture(stream));
            assertFalse(streams.capturing());
        }
        assertEquals(-1, mem.getInt(p), "nothing captured ever ran");
        mem.free(spare); // allowed again after the capture ended
    }

    @Test
    void theLegacyStreamDuringCaptureIsImplicitCaptureAndInvalidates() {
        DevicePtr p = mem.alloc(64);
        streams.beginCapture(stream);
        assertStatus("CUDA_ERROR_STREAM_CAPTURE_IMPLICIT", () -> mem.setD32(p, 1, 16, null));
        assertStatus("CUDA_ERROR_STREAM_CAPTURE_INVALIDATED", () -> streams.endCapture(stream));
    }

    @Test
    void captureStateErrors() {
        assertStatus("CUDA_ERROR_ILLEGAL_STATE", () -> streams.endCapture(stream));
        streams.beginCapture(stream);
        assertStatus("CUDA_ERROR_ILLEGAL_STATE", () -> streams.beginCapture(stream));
        Stream other = streams.createStream();
        assertStatus("CUDA_ERROR_NOT_SUPPORTED", () -> streams.beginCapture(other));
        assertStatus("CUDA_ERROR_ILLEGAL_STATE", () -> streams.endCapture(other));
        assertStatus("CUDA_ERROR_ILLEGAL_STATE", () -> streams.destroy(stream));
        assertEquals(0, ((SimGraph) streams.endCapture(stream)).nodeCount());
        assertStatus("CUDA_ERROR_INVALID_HANDLE", () -> streams.beginCapture(null));
    }

    @Test
    void aReplayAfterFreeIsAUseAfterFree() {
        DevicePtr p = mem.alloc(64);
        streams.beginCapture(stream);
        mem.setD32(p, 3, 16, stream);
        GraphExec exec = streams.instantiate(streams.endCapture(stream));
        mem.free(p);
        DeviceException x = assertStatus("CUDA_ERROR_INVALID_VALUE", () -> streams.launch(exec, stream));
        assertTrue(x.getMessage().contains("use after free") && x.getMessage().contains("cuMemsetD32Async (graph node"),
                x.getMessage());
    }

    @Test
    void eventsTimeRecordedWork() {
        Event start = streams.createEvent();
        Event end = streams.createEvent();
        assertStatus("CUDA_ERROR_INVALID_HANDLE", () -> streams.elapsedMillis(start, end));
        streams.record(start, stream);
        mem.setD32(mem.alloc(1 << 20), 1, 1 << 18, stream);
        streams.record(end, stream);
        streams.synchronize(end);
        assertTrue(streams.elapsedMillis(start, end) >= 0f);
        streams.destroy(start);
        assertStatus("CUDA_ERROR_INVALID_HANDLE", () -> streams.record(start, stream));
    }

    @Test
    void handlesOfAnotherDeviceOrDestroyedAreInvalid() {
        try (SimDevice other = new SimDevice()) {
            Stream foreign = other.streams().createStream();
            assertStatus("CUDA_ERROR_INVALID_HANDLE", () -> streams.synchronize(foreign));
            assertStatus("CUDA_ERROR_INVALID_HANDLE", () -> mem.setD32(mem.alloc(4), 0, 1, foreign));
            assertStatus("CUDA_ERROR_INVALID_HANDLE", () -> streams.record(other.streams().createEvent(), stream));
        }
        Stream s = streams.createStream();
        streams.destroy(s);
        assertStatus("CUDA_ERROR_INVALID_HANDLE", () -> streams.synchronize(s));
        assertStatus("CUDA_ERROR_INVALID_HANDLE", () -> device.blas().setStream(s));
        assertStatus("CUDA_ERROR_INVALID_HANDLE", () -> device.dnn().setStream(s));
        assertStatus("CUDA_ERROR_INVALID_HANDLE", () -> streams.instantiate(null));
    }
}
