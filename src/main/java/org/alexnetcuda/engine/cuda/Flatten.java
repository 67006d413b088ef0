package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.engine.Shape;

/** Flatten: NCHW is already PyTorch's flatten order, so the data is copied as it is. */
final class Flatten implements CudaLayer {
    private final String name;
    private final CudaContext ctx;
    private final int sampleSize;

    Flatten(String name, CudaContext ctx, Shape shape) {
        this.name = name;
        this.ctx = ctx;
        this.sampleSize = shape.sampleSize();
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
        ctx.device.memory().copyDeviceToDevice(y, x, 4L * n * sampleSize, ctx.stream);
    }

    @Override
    public void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx) {
        if (dx != null) {
            ctx.device.memory().copyDeviceToDevice(dx, dy, 4L * n * sampleSize, ctx.stream);
        }
    }
}
