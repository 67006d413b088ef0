package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.engine.Shape;

/** ReLU through our kernel (native-kernels/activation.cu): y = max(x, 0); dx = y > 0 ? dy : 0. */
final class Relu implements CudaLayer {
    private final String name;
    private final CudaContext ctx;
    private final int sampleSize;

    Relu(String name, CudaContext ctx, Shape shape) {
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
        ctx.relu.forward(ctx.stream, y, x, n * sampleSize);
    }

    @Override
    public void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx) {
        ctx.relu.backward(ctx.stream, dx, dy, y, n * sampleSize);
    }
}
