package org.alexnetcuda.engine.cuda;

import java.util.HashMap;
import java.util.Map;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.LrnDesc;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.alexnetcuda.tensor.Shape;

/**
 * Cross-channel LRN through cuDNN: b_c = a_c / (k + alpha/n * sum of a^2 over the n-channel window)^beta. cuDNN
 * divides alpha by n as PyTorch's nn.LocalResponseNorm does, so the hyper-parameters pass through unchanged.
 */
final class LrnLayer implements CudaLayer {
    private final String name;
    private final CudaContext ctx;
    private final Shape shape;
    private final LrnDesc lrn;
    private final Map<Integer, TensorDesc> descs = new HashMap<>();

    LrnLayer(String name, CudaContext ctx, Shape shape, int size, double alpha, double beta, double k) {
        this.name = name;
        this.ctx = ctx;
        this.shape = shape;
        this.lrn = ctx.device.dnn().lrn(size, alpha, beta, k);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long prepare(int n, long workspaceLimit) {
        descs.computeIfAbsent(n, k -> ctx.device.dnn().tensor(k, shape.c(), shape.h(), shape.w(), ctx.act));
        return 0;
    }

    @Override
    public void forward(int n, DevicePtr x, DevicePtr y, boolean training) {
        TensorDesc d = descs.get(n);
        ctx.device.dnn().lrnForward(lrn, 1f, d, x, 0f, d, y);
    }

    @Override
    public void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx) {
        TensorDesc d = descs.get(n);
        ctx.device.dnn().lrnBackward(lrn, 1f, d, y, d, dy, d, x, 0f, d, dx);
    }

    @Override
    public void close() {
        descs.values().forEach(ctx.device.dnn()::destroy);
        ctx.device.dnn().destroy(lrn);
    }
}
