package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.tensor.Shape;

/** Flatten: NCHW is already PyTorch's flatten order, so the data is copied as it is. */
final class Flatten extends ElementwiseLayer {
    Flatten(String name, CudaContext ctx, Shape shape) {
        super(name, ctx, shape);
    }

    @Override
    public void forward(int n, DevicePtr x, DevicePtr y, boolean training) {
        ctx.device.memory().copyDeviceToDevice(y, x, ctx.actBytes(elements(n)), ctx.stream);
    }

    @Override
    public void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx) {
        if (dx != null) {
            ctx.device.memory().copyDeviceToDevice(dx, dy, ctx.actBytes(elements(n)), ctx.stream);
        }
    }
}
