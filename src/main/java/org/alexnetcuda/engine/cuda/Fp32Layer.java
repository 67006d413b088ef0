package org.alexnetcuda.engine.cuda;

import java.util.List;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * A layer that runs in FP32 under mixed precision because cuDNN refused one of its 16-bit calls
 * ({@link Fp32Fallback}): the same layer, built on FP32 descriptors, between our cast kernels. Forward widens x,
 * runs the FP32 layer and narrows y; backward widens x, y, dy and the layer's slice of the 16-bit gradient block,
 * runs the FP32 layer (which accumulates into that widened slice, as the 16-bit layer would into the block) and
 * narrows the slice and dx back. The FP32 layer reads the FP32 master weights, so only the tensors it writes are
 * rounded to 16 bits, once each, as a 16-bit cuDNN call computing in FP32 would round them.
 *
 * <p>The FP32 buffers are the pool's fallback scratch, shared by every such layer: backward widens again what
 * forward widened, since other layers have used the scratch in between. (Widening a 16-bit value is exact, so max
 * pooling finds the same maxima in the widened x and y.)
 */
final class Fp32Layer implements CudaLayer {
    private final CudaLayer fp32;
    private final CudaContext ctx;
    private final CudaContext wide;
    private final int inSample;
    private final int outSample;
    private final List<Parameter> params;
    private DevicePtr x32;
    private DevicePtr y32;
    private DevicePtr dy32;
    private DevicePtr dx32;

    /**
     * @param fp32      the same layer made with {@code wide}
     * @param ctx       the engine's (16-bit) context
     * @param wide      {@code ctx.fp32()}, whose gradient pointer is the FP32 gradient scratch
     * @param params    the layer's parameters (their gradients are widened and narrowed around backward)
     */
    Fp32Layer(CudaLayer fp32, CudaContext ctx, CudaContext wide, int inSample, int outSample, List<Parameter> params) {
        this.fp32 = fp32;
        this.ctx = ctx;
        this.wide = wide;
        this.inSample = inSample;
        this.outSample = outSample;
        this.params = List.copyOf(params);
    }

    /** Points the layer at the pool's FP32 scratch: x and dx of the input's size, y and dy of the output's. */
    void bind(DevicePtr x32, DevicePtr y32, DevicePtr dy32, DevicePtr dx32) {
        this.x32 = x32;
        this.y32 = y32;
        this.dy32 = dy32;
        this.dx32 = dx32;
    }

    CudaLayer fp32() {
        return fp32;
    }

    @Override
    public String name() {
        return fp32.name();
    }

    @Override
    public long prepare(int n, long workspaceLimit) {
        return fp32.prepare(n, workspaceLimit);
    }

    @Override
    public void forward(int n, DevicePtr x, DevicePtr y, boolean training) {
        StorageFormat f = ctx.act;
        ctx.mixed.toFloat(ctx.stream, x32, x, n * inSample, f);
        fp32.forward(n, x32, y32, training);
        ctx.mixed.toHalf(ctx.stream, y, y32, n * outSample, f);
    }

    @Override
    public void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx) {
        StorageFormat f = ctx.act;
        ctx.mixed.toFloat(ctx.stream, x32, x, n * inSample, f);
        ctx.mixed.toFloat(ctx.stream, y32, y, n * outSample, f);
        ctx.mixed.toFloat(ctx.stream, dy32, dy, n * outSample, f);
        for (Parameter p : params) {
            ctx.mixed.toFloat(ctx.stream, wide.grad(p.offset()), ctx.grad(p.offset()), p.size(), f);
        }
        fp32.backward(n, x32, y32, dy32, dx == null ? null : dx32);
        for (Parameter p : params) {
            ctx.mixed.toHalf(ctx.stream, ctx.grad(p.offset()), wide.grad(p.offset()), p.size(), f);
        }
        if (dx != null) {
            ctx.mixed.toHalf(ctx.stream, dx, dx32, n * inSample, f);
        }
    }

    @Override
    public void close() {
        fp32.close();
    }
}
