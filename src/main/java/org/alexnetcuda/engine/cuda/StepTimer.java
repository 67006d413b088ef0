package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.DeviceStreams;
import org.alexnetcuda.device.Handles.Event;
import org.alexnetcuda.device.Handles.Stream;

/**
 * Device-event timing of the engine's work, for {@code bench}: events recorded on the engine's stream around the
 * work measure the GPU's time, not the host's enqueueing; their events are destroyed before returning.
 */
final class StepTimer {
    private final DeviceStreams streams;
    private final Stream stream;
    private final StepKernels kernels;
    private final int layerCount;

    StepTimer(CudaContext ctx, StepKernels kernels, int layerCount) {
        this.streams = ctx.device.streams();
        this.stream = ctx.stream;
        this.kernels = kernels;
        this.layerCount = layerCount;
    }

    /** Device-event milliseconds per repetition of work enqueued {@code repeats} times on the engine's stream. */
    double millisPer(int repeats, Runnable work) {
        Event start = streams.createEvent();
        Event end = streams.createEvent();
        try {
            streams.record(start, stream);
            for (int s = 0; s < repeats; s++) {
                work.run();
            }
            streams.record(end, stream);
            streams.synchronize(end);
            return streams.elapsedMillis(start, end) / repeats;
        } finally {
            streams.destroy(start);
            streams.destroy(end);
        }
    }

    /**
     * Each layer's forward and backward milliseconds, {forward[], backward[]}, averaged over {@code repeats} eager
     * training steps of n samples from the epoch's start, with an event before and after every layer (as
     * {@code caffe time}). Eager, so the layers can be told apart; a graph-replayed step is a little faster than the
     * sum.
     *
     * @param prepare   run once, after the events are made: the engine uploads the order and prepares the batch size
     * @param countStep run after each step is enqueued: the engine counts it as a training step
     */
    double[][] layerMillis(int n, int repeats, Runnable prepare, Runnable countStep) {
        Event[] fwdEvents = new Event[layerCount + 1];
        Event[] bwdEvents = new Event[layerCount + 1];
        for (int i = 0; i <= layerCount; i++) {
            fwdEvents[i] = streams.createEvent();
            bwdEvents[i] = streams.createEvent();
        }
        double[][] ms = new double[2][layerCount];
        try {
            prepare.run();
            for (int s = 0; s < repeats; s++) {
                kernels.setBatchStart(0);
                kernels.zeroGradients();
                kernels.trainData(n, 0);
                streams.record(fwdEvents[0], stream);
                for (int i = 0; i < layerCount; i++) {
                    kernels.forwardLayer(i, n, true);
                    streams.record(fwdEvents[i + 1], stream);
                }
                kernels.loss(n);
                streams.record(bwdEvents[layerCount], stream);
                for (int i = layerCount - 1; i >= 0; i--) {
                    kernels.backwardLayer(i, n);
                    streams.record(bwdEvents[i], stream);
                }
                kernels.adam();
                countStep.run();
                streams.synchronize(stream);
                for (int i = 0; i < layerCount; i++) {
                    ms[0][i] += streams.elapsedMillis(fwdEvents[i], fwdEvents[i + 1]) / repeats;
                    ms[1][i] += streams.elapsedMillis(bwdEvents[i + 1], bwdEvents[i]) / repeats;
                }
            }
        } finally {
            for (int i = 0; i <= layerCount; i++) {
                streams.destroy(fwdEvents[i]);
                streams.destroy(bwdEvents[i]);
            }
        }
        return ms;
    }
}
