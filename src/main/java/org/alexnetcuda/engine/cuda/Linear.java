package org.alexnetcuda.engine.cuda;

import java.util.HashMap;
import java.util.Map;

import org.alexnetcuda.device.Blas.Op;
import org.alexnetcuda.device.Blas;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.alexnetcuda.tensor.Parameter;

/**
 * A fully connected layer through cuBLAS, on row-major X [N x in], W [out x in] (PyTorch layout), Y [N x out].
 * cuBLAS is column-major, and a row-major R x C matrix is the column-major C x R matrix with ld = C, so:
 * <pre>
 *   Y  = X W^T      sgemm(T, N, m=out, n=N,   k=in,  W, ld in,  X,  ld in,  Y,  ld out)
 *   dW += dY^T X    sgemm(N, T, m=in,  n=out, k=N,   X, ld in,  dY, ld out, dW, ld in)   beta 1
 *   dX = dY W       sgemm(N, N, m=in,  n=N,   k=out, W, ld in,  dY, ld out, dX, ld in)
 * </pre>
 * The bias is added by cudnnAddTensor (1 x out x 1 x 1 onto N x out x 1 x 1); its gradient, the column sums of dY,
 * by our bias_grad_accumulate kernel. Under mixed precision the three products are cublasGemmEx on 16-bit matrices
 * with FP32 accumulation, in the same arrangement.
 */
final class Linear implements CudaLayer {
    private final String name;
    private final CudaContext ctx;
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final TensorDesc bDesc;
    private final Map<Integer, TensorDesc> yDescs = new HashMap<>();

    Linear(String name, CudaContext ctx, int in, int out, Parameter weight, Parameter bias) {
        this.name = name;
        this.ctx = ctx;
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
        this.bDesc = ctx.device.dnn().tensor(1, out, 1, 1, ctx.act);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long prepare(int n, long workspaceLimit) {
        yDescs.computeIfAbsent(n, k -> ctx.device.dnn().tensor(k, out, 1, 1, ctx.act));
        return 0;
    }

    @Override
    public void forward(int n, DevicePtr x, DevicePtr y, boolean training) {
        gemm(Op.T, Op.N, out, n, in, ctx.param(weight.offset()), in, x, in, 0f, y, out);
        ctx.device.dnn().addTensor(1f, bDesc, ctx.param(bias.offset()), 1f, yDescs.get(n), y);
    }

    @Override
    public void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx) {
        gemm(Op.N, Op.T, in, out, n, x, in, dy, out, 1f, ctx.grad(weight.offset()), in);
        ctx.linear.biasGradAccumulate(ctx.stream, ctx.grad(bias.offset()), dy, n, out, ctx.act);
        if (dx != null) {
            gemm(Op.N, Op.N, in, n, out, ctx.param(weight.offset()), in, dy, out, 0f, dx, in);
        }
    }

    /** C = op(A) op(B) + beta C (alpha 1): cublasSgemm in FP32 and TF32, cublasGemmEx on 16-bit storage. */
    private void gemm(Op ta, Op tb, int m, int n, int k, DevicePtr a, int lda, DevicePtr b, int ldb, float beta,
                      DevicePtr c, int ldc) {
        Blas blas = ctx.device.blas();
        if (ctx.act.isHalf()) {
            blas.gemm(ctx.act, ta, tb, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
        } else {
            blas.sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
        }
    }

    @Override
    public void close() {
        yDescs.values().forEach(ctx.device.dnn()::destroy);
        ctx.device.dnn().destroy(bDesc);
    }
}
