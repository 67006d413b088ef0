package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.engine.Shape;

/**
 * Inverted dropout through our kernel (native-kernels/dropout.cu), with the CPU engine's mask: a pure function of
 * (layer key, step, element) where the step is read from Adam's device state, so a captured graph replays with a
 * fresh mask each step. In evaluation the layer is the identity (a device-to-device copy).
 */
final class Dropout implements CudaLayer {
    private final String name;
    private final CudaContext ctx;
    private final int sampleSize;
    private final float p;
    private final long key;

    Dropout(String name, CudaContext ctx, Shape shape, float p, long key) {
        this.name = name;
        this.ctx = ctx;
        this.sampleSize = shape.sampleSize();
        this.p = p;
        this.key = key;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long prepare(int n, long workspaceLimit) {
        return 0;
    }

    @Override
    public void forward(int n, DevicePtr x, DevicePtr y, boolean training) {
        if (training) {
            ctx.dropout.forward(ctx.stream, y, x, n * sampleSize, p, key, ctx.adamState);
        } else {
            ctx.device.memory().copyDeviceToDevice(y, x, 4L * n * sampleSize, ctx.stream);
        }
    }

    @Override
    public void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx) {
        ctx.dropout.backward(ctx.stream, dx, dy, n * sampleSize, p, key, ctx.adamState);
    }
}
