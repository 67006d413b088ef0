package org.alexnetcuda.engine.cuda;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.alexnetcuda.device.ConvAlgorithmNames;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Dnn;
import org.alexnetcuda.device.Dnn.AlgoPerf;
import org.alexnetcuda.device.Dnn.ConvPass;
import org.alexnetcuda.device.Handles.ConvDesc;
import org.alexnetcuda.device.Handles.FilterDesc;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.alexnetcuda.engine.Parameter;
import org.alexnetcuda.engine.Shape;

/**
 * Convolution through cuDNN: y = conv(x, W) + b with W OIHW, cross-correlation, zero padding (PyTorch nn.Conv2d).
 * Forward: cudnnConvolutionForward then cudnnAddTensor of the 1xCx1x1 bias. Backward: cudnnConvolutionBackwardBias
 * and BackwardFilter accumulate (beta 1) into the zeroed gradients; BackwardData overwrites dx (beta 0).
 * Algorithms are chosen once per batch size: the fastest of cuDNN's measured ranking (cudnnFind*) that succeeds
 * within the workspace limit (and, with --deterministic, is deterministic).
 *
 * <p>The first layer of the network (conv1) never computes its input gradient: nothing upstream learns. It neither
 * searches a backward-data algorithm nor plans that pass's workspace, so a search that could only refuse or enlarge
 * the workspace for a pass that never runs (e.g. no deterministic algorithm for conv1's shape) cannot stop a run.
 */
final class Conv2d implements CudaLayer {
    private final String name;
    private final CudaContext ctx;
    private final Shape in;
    private final Shape out;
    private final Parameter weight;
    private final Parameter bias;
    private final FilterDesc wDesc;
    private final TensorDesc bDesc;
    private final ConvDesc convDesc;
    private final Map<Integer, Plan> plans = new HashMap<>();
    /** Whether backward computes dx; false for the network's first layer. */
    private final boolean inputGradient;

    /** Descriptors and algorithms of one batch size; bwdData is null without input gradient. */
    private record Plan(TensorDesc x, TensorDesc y, AlgoPerf fwd, AlgoPerf bwdData, AlgoPerf bwdFilter, long workspace) {
    }

    /**
     * @param inputGradient whether {@link #backward} computes dx (every layer but the network's first); without it
     *                      backward must be called with dx null
     */
    Conv2d(String name, CudaContext ctx, Shape in, Shape out, int kernel, int stride, int pad, Parameter weight,
           Parameter bias, boolean inputGradient) {
        this.name = name;
        this.inputGradient = inputGradient;
        this.ctx = ctx;
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
        Dnn dnn = ctx.device.dnn();
        this.wDesc = dnn.filter(out.c(), in.c(), kernel, kernel, ctx.act);
        this.bDesc = dnn.tensor(1, out.c(), 1, 1, ctx.act);
        this.convDesc = dnn.convolution(pad, pad, stride, stride, ctx.tensorOps);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long prepare(int n, long workspaceLimit) {
        Plan p = plans.get(n);
        if (p != null) {
            return p.workspace;
        }
        Dnn dnn = ctx.device.dnn();
        TensorDesc x = dnn.tensor(n, in.c(), in.h(), in.w(), ctx.act);
        TensorDesc y = dnn.tensor(n, out.c(), out.h(), out.w(), ctx.act);
        int[] dims = dnn.convolutionOutputDim(convDesc, x, wDesc);
        if (dims[0] != n || dims[1] != out.c() || dims[2] != out.h() || dims[3] != out.w()) {
            throw new IllegalStateException(name + ": cuDNN output " + java.util.Arrays.toString(dims) + " differs from "
                    + out.withBatch(n));
        }
        AlgoPerf fwd = choose(ConvPass.FORWARD, x, y, workspaceLimit);
        AlgoPerf bwdFilter = choose(ConvPass.BACKWARD_FILTER, x, y, workspaceLimit);
        long ws = Math.max(workspace(ConvPass.FORWARD, x, y, fwd.algo()),
                workspace(ConvPass.BACKWARD_FILTER, x, y, bwdFilter.algo()));
        AlgoPerf bwdData = null;
        if (inputGradient) {
            bwdData = choose(ConvPass.BACKWARD_DATA, x, y, workspaceLimit);
            ws = Math.max(ws, workspace(ConvPass.BACKWARD_DATA, x, y, bwdData.algo()));
        }
        p = new Plan(x, y, fwd, bwdData, bwdFilter, ws);
        plans.put(n, p);
        return ws;
    }

    private long workspace(ConvPass pass, TensorDesc x, TensorDesc y, int algo) {
        return ctx.device.dnn().convolutionWorkspaceSize(pass, x, wDesc, convDesc, y, algo);
    }

    private AlgoPerf choose(ConvPass pass, TensorDesc x, TensorDesc y, long limit) {
        // Measured ranking (cudnnFind*, as PyTorch's cudnn.benchmark), once per shape before training; the
        // simulator, which cannot measure, answers with the heuristic ranking.
        List<AlgoPerf> ranked = ctx.device.dnn().findConvolutionAlgorithms(pass, x, wDesc, convDesc, y);
        for (AlgoPerf a : ranked) {
            if (a.ok() && a.memory() <= limit && (!ctx.deterministic || a.deterministic())) {
                return a;
            }
        }
        throw new IllegalStateException(name + ": no cuDNN " + pass.name().toLowerCase().replace('_', ' ')
                + " algorithm fits a workspace of " + limit + " bytes" + (ctx.deterministic ? " deterministically" : ""));
    }

    /** The algorithms chosen for a batch of n, by pass, and the workspace they need (after {@link #prepare}). */
    ConvChoice choice(int n) {
        Plan p = plans.get(n);
        if (p == null) {
            return null;
        }
        // One math type per descriptor: every pass runs in it, whatever math type cuDNN timed its algorithm in.
        int descriptorMath = ctx.tensorOps ? ConvAlgorithmNames.TENSOR_OP_MATH : ConvAlgorithmNames.FMA_MATH;
        return new ConvChoice(name, ConvChoice.Pass.of(p.fwd), ConvChoice.Pass.of(p.bwdData),
                ConvChoice.Pass.of(p.bwdFilter), p.workspace, descriptorMath);
    }

    @Override
    public void forward(int n, DevicePtr x, DevicePtr y, boolean training) {
        Plan p = plans.get(n);
        Dnn dnn = ctx.device.dnn();
        dnn.convolutionForward(1f, p.x, x, wDesc, ctx.param(weight.offset()), convDesc, p.fwd.algo(), ctx.workspace,
                ctx.workspaceBytes, 0f, p.y, y);
        dnn.addTensor(1f, bDesc, ctx.param(bias.offset()), 1f, p.y, y);
    }

    @Override
    public void backward(int n, DevicePtr x, DevicePtr y, DevicePtr dy, DevicePtr dx) {
        Plan p = plans.get(n);
        Dnn dnn = ctx.device.dnn();
        dnn.convolutionBackwardBias(1f, p.y, dy, 1f, bDesc, ctx.grad(bias.offset()));
        dnn.convolutionBackwardFilter(1f, p.x, x, p.y, dy, convDesc, p.bwdFilter.algo(), ctx.workspace, ctx.workspaceBytes,
                1f, wDesc, ctx.grad(weight.offset()));
        if (dx != null) {
            if (!inputGradient) {
                throw new IllegalStateException(name + " was built without an input gradient, but backward got dx");
            }
            dnn.convolutionBackwardData(1f, wDesc, ctx.param(weight.offset()), p.y, dy, convDesc, p.bwdData.algo(),
                    ctx.workspace, ctx.workspaceBytes, 0f, p.x, dx);
        }
    }

    @Override
    public void close() {
        Dnn dnn = ctx.device.dnn();
        for (Plan p : plans.values()) {
            dnn.destroy(p.x);
            dnn.destroy(p.y);
        }
        dnn.destroy(wDesc);
        dnn.destroy(bDesc);
        dnn.destroy(convDesc);
    }
}
