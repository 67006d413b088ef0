package org.alexnetcuda.engine.cuda;

import java.util.HashMap;
import java.util.Map;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Dnn;
import org.alexnetcuda.device.Handles.PoolDesc;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.alexnetcuda.tensor.Shape;

/**
 * Overlapping max-pooling through cuDNN (no padding, floor mode, NaN propagated, as PyTorch nn.MaxPool2d); with
 * --deterministic in cuDNN's deterministic max mode, whose backward is reproducible.
 */
final class MaxPool implements CudaLayer {
    private final String name;
    private final CudaContext ctx;
    private final Shape in;
    private final Shape out;
    private final PoolDesc pool;
    private final Map<Integer, TensorDesc[]> descs = new HashMap<>();

    MaxPool(String name, CudaContext ctx, Shape in, Shape out, int kernel, int stride) {
        this.name = name;
        this.ctx = ctx;
        this.in = in;
        this.out = out;
        this.pool = ctx.device.dnn().maxPooling(kernel, kernel, 0, 0, stride, stride, ctx.deterministic);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long prepare(int n, long workspaceLimit) {
        descs.computeIfAbsent(n, k -> {
            Dnn dnn = ctx.device.dnn();
            TensorDesc x = dnn.tensor(k, in.c(), in.h(), in.w(), ctx.act);
            int[] dims = dnn.poolingOutputDim(pool, x);
            if (dims[2] != out.h() || dims[3] != out.w()) {
                throw new IllegalStateException(name + ": cuDNN pooling output " + java.util.Arrays.toString(dims)
                        + " differs from " + out.withBatch(k));
            }
            return new TensorDesc[] {x, dnn.tensor(k, out.c(), out.h(), out.w(), ctx.act)};
        });
        return 0;
    }

    @Override
    public void forward(int n, DevicePtr x, DevicePtr y, boolean training) {
        TensorDesc[] d = descs.get(n);
        ctx.device.dnn().poolingForward(pool, 1f, d[0], x, 0f, d[1], y);
    }

    @Override
    public void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx) {
        TensorDesc[] d = descs.get(n);
        ctx.device.dnn().poolingBackward(pool, 1f, d[1], y, d[1], dy, d[0], x, 0f, d[0], dx);
    }

    @Override
    public void close() {
        for (TensorDesc[] d : descs.values()) {
            ctx.device.dnn().destroy(d[0]);
            ctx.device.dnn().destroy(d[1]);
        }
        ctx.device.dnn().destroy(pool);
    }
}
