package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.tensor.Shape;

/**
 * Inverted dropout through our kernel (native-kernels/dropout.cu), with the CPU engine's mask: a pure function of
 * (layer key, step, element) where the step is read from Adam's device state, so a captured graph replays with a
 * fresh mask each step. In evaluation the layer is the identity (a device-to-device copy).
 */
final class Dropout extends ElementwiseLayer {
    private final float p;
    private final long key;

    Dropout(String name, CudaContext ctx, Shape shape, float p, long key) {
        super(name, ctx, shape);
        this.p = p;
        this.key = key;
    }

    @Override
    public void forward(int n, DevicePtr x, DevicePtr y, boolean training) {
        if (training) {
            ctx.dropout.forward(ctx.stream, y, x, elements(n), p, key, ctx.adamState, ctx.act);
        } else {
            ctx.device.memory().copyDeviceToDevice(y, x, ctx.actBytes(elements(n)), ctx.stream);
        }
    }

    @Override
    public void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx) {
        ctx.dropout.backward(ctx.stream, dx, dy, elements(n), p, key, ctx.adamState, ctx.act);
    }
}
