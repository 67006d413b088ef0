package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.tensor.Shape;

/** ReLU through our kernel (native-kernels/activation.cu): y = max(x, 0); dx = y > 0 ? dy : 0. */
final class Relu extends ElementwiseLayer {
    Relu(String name, CudaContext ctx, Shape shape) {
        super(name, ctx, shape);
    }

    @Override
    public void forward(int n, DevicePtr x, DevicePtr y, boolean training) {
        ctx.relu.forward(ctx.stream, y, x, elements(n), ctx.act);
    }

    @Override
    public void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx) {
        ctx.relu.backward(ctx.stream, dx, dy, y, elements(n), ctx.act);
    }
}
