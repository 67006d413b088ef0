package org.alexnetcuda.device.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.alexnetcuda.device.ConvAlgorithmNames;
import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Dnn;
import org.alexnetcuda.device.Handles.ConvDesc;
import org.alexnetcuda.device.Handles.FilterDesc;
import org.alexnetcuda.device.Handles.LrnDesc;
import org.alexnetcuda.device.Handles.PoolDesc;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.alexnetcuda.device.sim.SimDescriptors.Base;
import org.alexnetcuda.device.sim.SimDescriptors.Convolution;
import org.alexnetcuda.device.sim.SimDescriptors.Filter4d;
import org.alexnetcuda.device.sim.SimDescriptors.Lrn;
import org.alexnetcuda.device.sim.SimDescriptors.MaxPool2d;
import org.alexnetcuda.device.sim.SimDescriptors.Tensor4d;
import org.alexnetcuda.math.LrnMath;
import org.alexnetcuda.math.MaxPoolMath;
import org.alexnetcuda.tensor.StorageFormat;
import org.alexnetcuda.tensor.Tensor;

/**
 * cuDNN on the CPU. Each call first checks what cuDNN would (descriptor dims positive, shapes that agree with the
 * operation, a workspace at least as large as the algorithm asks: CUDNN_STATUS_BAD_PARAM) and what a GPU would
 * trip over (every tensor's element count inside its pointer's allocation: the memory's CUDA_ERROR_ILLEGAL_ADDRESS
 * or use-after-free errors), then issues the work to the handle's stream, where it is run or captured.
 *
 * <p>The math is the CPU engine's, from org.alexnetcuda.math ({@link ConvMath} over Conv2dMath,
 * {@link MaxPoolMath}, {@link LrnMath}): device ranges are copied into float[] tensors, the math runs, and the result is blended back as
 * y = alpha * result + beta * y, where beta == 0 writes y without reading it (a NaN there does not propagate), as
 * cuDNN specifies. What those layers cannot do is CUDNN_STATUS_NOT_SUPPORTED: non-square convolution kernels or
 * unequal padding or strides, pooling windows that are not square or have padding, LRN with an even window (cuDNN
 * and PyTorch place it differently) or a negative alpha. Max pooling follows the CPU engine: the first maximum of a
 * window takes the gradient, and a NaN is propagated (as the JCuda device asks of cuDNN: CUDNN_PROPAGATE_NAN).
 *
 * <p>Descriptors carry their data type (FLOAT, HALF or BFLOAT16). HALF and BFLOAT16 tensors are read widened
 * exactly to float, the math is the same FP32 as for FLOAT tensors, and the blend is stored rounded once, to nearest
 * even, in the destination's type (cuDNN's FLOAT compute type with 16-bit storage); so a 16-bit call's result is
 * exactly the 16-bit rounding of the FLOAT call on the widened inputs. Pointer ranges and alignment use the element
 * size (2 bytes for 16-bit types). Types must agree as cuDNN requires: a convolution's x, w and y, addTensor's b
 * and y, backward bias's dy and db, and pooling's tensors (CUDNN_STATUS_BAD_PARAM), LRN's tensors
 * (CUDNN_STATUS_NOT_SUPPORTED).
 */
public final class SimDnn implements Dnn {
    private final CallLog calls;
    private final SimMemory memory;
    private final SimStreams streams;
    private Stream stream;
    private final List<String> convolutionMathTypes = new ArrayList<>();
    private final List<String> tensorDataTypes = new ArrayList<>();
    private final List<String> filterDataTypes = new ArrayList<>();
    private final List<String> poolingModes = new ArrayList<>();
    /** Calls made to refuse, by name: the data type they refuse and the status they answer with. */
    private final Map<String, Map<StorageFormat, String>> refusals = new HashMap<>();

    SimDnn(CallLog calls, SimMemory memory, SimStreams streams) {
        this.calls = calls;
        this.memory = memory;
        this.streams = streams;
    }

    @Override
    public void setStream(Stream stream) {
        calls.enter("cudnnSetStream");
        calls.arguments(stream);
        streams.resolve("cudnnSetStream", stream);
        this.stream = stream;
    }

    /**
     * Makes the named calls (cudnnLRNCrossChannelForward, cudnnPoolingBackward, ...) fail with {@code status} when
     * their data tensors are of {@code type}, as a cuDNN build without that type for that call would: cuDNN's
     * legacy API documents the supported data types per call, so a library can accept a type for convolutions and
     * refuse it for LRN. The simulator then poses as such a library; nothing else changes.
     */
    public SimDnn refusing(StorageFormat type, String status, String... calls) {
        for (String call : calls) {
            refusals.computeIfAbsent(call, k -> new HashMap<>()).put(type, status);
        }
        return this;
    }

    /** Fails the call as {@link #refusing} asked, for a tensor of the refused type. */
    private void refuseIfAsked(String call, Tensor4d d) {
        String status = refusals.getOrDefault(call, Map.of()).get(d.type);
        if (status != null) {
            throw new DeviceException(call, status, "refused by the simulator for " + Dnn.dataTypeName(d.type));
        }
    }

    // ---------------------------------------------------------------- descriptors

    @Override
    public TensorDesc tensor(int n, int c, int h, int w, StorageFormat type) {
        String call = "cudnnSetTensor4dDescriptor";
        calls.enter("cudnnCreateTensorDescriptor", call);
        calls.arguments(); // the create takes nothing; the set, the descriptor's values
        calls.arguments(n, c, h, w, type);
        checkDescriptor(call, n, c, h, w, type);
        Tensor4d t = new Tensor4d(this, n, c, h, w, type);
        if (t.count() > Integer.MAX_VALUE) {
            throw new DeviceException(call, Status.CUDNN_NOT_SUPPORTED, t + " has more than 2^31 - 1 elements");
        }
        tensorDataTypes.add(Dnn.dataTypeName(type));
        return t;
    }

    @Override
    public FilterDesc filter(int k, int c, int h, int w, StorageFormat type) {
        String call = "cudnnSetFilter4dDescriptor";
        calls.enter("cudnnCreateFilterDescriptor", call);
        calls.arguments();
        calls.arguments(k, c, h, w, type);
        checkDescriptor(call, k, c, h, w, type);
        Filter4d f = new Filter4d(this, k, c, h, w, type);
        if (f.count() > Integer.MAX_VALUE) {
            throw new DeviceException(call, Status.CUDNN_NOT_SUPPORTED, f + " has more than 2^31 - 1 elements");
        }
        filterDataTypes.add(Dnn.dataTypeName(type));
        return f;
    }

    /** What cuDNN checks of a 4-d tensor or filter descriptor's arguments: positive dimensions and a data type. */
    private static void checkDescriptor(String call, int d0, int d1, int d2, int d3, StorageFormat type) {
        if (d0 <= 0 || d1 <= 0 || d2 <= 0 || d3 <= 0) {
            throw badParam(call, "non-positive dimension in " + d0 + "x" + d1 + "x" + d2 + "x" + d3);
        }
        if (type == null) {
            throw badParam(call, "no data type");
        }
    }

    @Override
    public ConvDesc convolution(int padH, int padW, int strideH, int strideW, boolean tensorOps) {
        String call = "cudnnSetConvolution2dDescriptor";
        calls.enter("cudnnCreateConvolutionDescriptor", call, "cudnnSetConvolutionMathType");
        calls.arguments();
        calls.arguments(padH, padW, strideH, strideW);
        calls.arguments(tensorOps);
        if (padH < 0 || padW < 0 || strideH <= 0 || strideW <= 0) {
            throw badParam(call, "pad " + padH + "x" + padW + " stride " + strideH + "x" + strideW);
        }
        convolutionMathTypes.add(tensorOps ? "CUDNN_TENSOR_OP_MATH" : "CUDNN_FMA_MATH");
        return new Convolution(this, padH, padW, strideH, strideW, tensorOps);
    }

    /**
     * The math type given to each convolution descriptor made so far, in order: CUDNN_FMA_MATH or
     * CUDNN_TENSOR_OP_MATH, as the JCuda device passes them to cudnnSetConvolutionMathType. Recorded only: the
     * simulator computes in FP32 either way.
     */
    public List<String> convolutionMathTypes() {
        return List.copyOf(convolutionMathTypes);
    }

    /**
     * The data type given to each tensor descriptor made so far, in order: CUDNN_DATA_FLOAT, CUDNN_DATA_HALF or
     * CUDNN_DATA_BFLOAT16, as the JCuda device passes them to cudnnSetTensor4dDescriptor.
     */
    public List<String> tensorDataTypes() {
        return List.copyOf(tensorDataTypes);
    }

    /** As {@link #tensorDataTypes} for the filter descriptors (cudnnSetFilter4dDescriptor). */
    public List<String> filterDataTypes() {
        return List.copyOf(filterDataTypes);
    }

    /**
     * The mode given to each pooling descriptor made so far, in order: CUDNN_POOLING_MAX or
     * CUDNN_POOLING_MAX_DETERMINISTIC, as the JCuda device passes them. Recorded only: the simulator's backward is
     * deterministic either way.
     */
    public List<String> poolingModes() {
        return List.copyOf(poolingModes);
    }

    @Override
    public PoolDesc maxPooling(int windowH, int windowW, int padH, int padW, int strideH, int strideW,
                               boolean deterministic) {
        String call = "cudnnSetPooling2dDescriptor";
        calls.enter("cudnnCreatePoolingDescriptor", call);
        calls.arguments();
        calls.arguments(windowH, windowW, padH, padW, strideH, strideW, deterministic);
        if (windowH <= 0 || windowW <= 0 || padH < 0 || padW < 0 || strideH <= 0 || strideW <= 0) {
            throw badParam(call, "window " + windowH + "x" + windowW + " pad " + padH + "x" + padW + " stride "
                    + strideH + "x" + strideW);
        }
        poolingModes.add(deterministic ? "CUDNN_POOLING_MAX_DETERMINISTIC" : "CUDNN_POOLING_MAX");
        return new MaxPool2d(this, windowH, windowW, padH, padW, strideH, strideW);
    }

    @Override
    public LrnDesc lrn(int n, double alpha, double beta, double k) {
        String call = "cudnnSetLRNDescriptor";
        calls.enter("cudnnCreateLRNDescriptor", call);
        calls.arguments();
        calls.arguments(n, alpha, beta, k);
        // cuDNN's limits: CUDNN_LRN_MIN_N 1, CUDNN_LRN_MAX_N 16, CUDNN_LRN_MIN_K 1e-5, CUDNN_LRN_MIN_BETA 0.01.
        if (n < 1 || n > 16 || !(k >= 1e-5) || !(beta >= 0.01) || Double.isNaN(alpha)) {
            throw badParam(call, "n=" + n + " alpha=" + alpha + " beta=" + beta + " k=" + k);
        }
        return new Lrn(this, n, alpha, beta, k);
    }

    @Override
    public void destroy(Object descriptor) {
        String call = descriptor instanceof Filter4d ? "cudnnDestroyFilterDescriptor"
                : descriptor instanceof Convolution ? "cudnnDestroyConvolutionDescriptor"
                : descriptor instanceof MaxPool2d ? "cudnnDestroyPoolingDescriptor"
                : descriptor instanceof Lrn ? "cudnnDestroyLRNDescriptor"
                : "cudnnDestroyTensorDescriptor";
        calls.enter(call);
        calls.arguments(descriptor);
        live(call, "descriptor", descriptor, Base.class).destroyed = true;
    }

    // ---------------------------------------------------------------- queries

    @Override
    public int[] convolutionOutputDim(ConvDesc conv, TensorDesc x, FilterDesc w) {
        String call = "cudnnGetConvolution2dForwardOutputDim";
        calls.enter(call);
        calls.arguments(conv, x, w);
        Tensor4d xd = tensor(call, "x", x);
        Filter4d wd = filter(call, "w", w);
        Convolution cd = conv(call, conv);
        return outputDim(call, cd, xd, wd);
    }

    @Override
    public int[] poolingOutputDim(PoolDesc pool, TensorDesc x) {
        String call = "cudnnGetPooling2dForwardOutputDim";
        calls.enter(call);
        calls.arguments(pool, x);
        return outputDim(call, pool(call, pool), tensor(call, "x", x));
    }

    @Override
    public List<AlgoPerf> convolutionAlgorithms(ConvPass pass, TensorDesc x, FilterDesc w, ConvDesc conv, TensorDesc y) {
        String call = switch (pass) {
            case FORWARD -> "cudnnGetConvolutionForwardAlgorithm_v7";
            case BACKWARD_DATA -> "cudnnGetConvolutionBackwardDataAlgorithm_v7";
            case BACKWARD_FILTER -> "cudnnGetConvolutionBackwardFilterAlgorithm_v7";
        };
        calls.enter(call);
        calls.arguments(pass, x, w, conv, y);
        // cuDNN reports the math type it timed each entry in: the descriptor's, which the simulator keeps.
        int math = conv(call, conv).tensorOps ? ConvAlgorithmNames.TENSOR_OP_MATH : ConvAlgorithmNames.FMA_MATH;
        return ConvAlgorithms.list(pass, geometry(call, x, w, conv, y)).stream()
                .map(a -> new AlgoPerf(a.algo(), a.status(), a.timeMillis(), a.memory(), a.deterministic(), math))
                .toList();
    }

    @Override
    public long convolutionWorkspaceSize(ConvPass pass, TensorDesc x, FilterDesc w, ConvDesc conv, TensorDesc y,
                                         int algo) {
        String call = switch (pass) {
            case FORWARD -> "cudnnGetConvolutionForwardWorkspaceSize";
            case BACKWARD_DATA -> "cudnnGetConvolutionBackwardDataWorkspaceSize";
            case BACKWARD_FILTER -> "cudnnGetConvolutionBackwardFilterWorkspaceSize";
        };
        calls.enter(call);
        calls.arguments(pass, x, w, conv, y, algo);
        return algorithm(call, pass, geometry(call, x, w, conv, y), algo).memory();
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public void convolutionForward(float alpha, TensorDesc xDesc, DevicePtr x, FilterDesc wDesc, DevicePtr w,
                                   ConvDesc conv, int algo, DevicePtr workspace, long workspaceBytes, float beta,
                                   TensorDesc yDesc, DevicePtr y) {
        String call = "cudnnConvolutionForward";
        calls.enter(call);
        calls.arguments(alpha, xDesc, x, wDesc, w, conv, algo, workspace, workspaceBytes, beta, yDesc, y);
        ConvGeometry g = geometry(call, xDesc, wDesc, conv, yDesc);
        long required = workspace(call, ConvPass.FORWARD, g, algo, workspace, workspaceBytes);
        requireSquare(call, g);
        Tensor4d xd = tensor(call, "x", xDesc);
        Filter4d wd = filter(call, "w", wDesc);
        Tensor4d yd = tensor(call, "y", yDesc);
        refuseIfAsked(call, xd);
        checkTensor("x", x, xd);
        checkFilter("w", w, wd);
        checkTensor("y", y, yd);
        streams.enqueue(stream, call, () -> {
            scribble(workspace, required);
            Tensor out = ConvMath.forward(g, load(x, xd), memory.readAsFloats(w, g.filterCount(), wd.type));
            blend(y, out.data, alpha, beta, yd.type);
        });
    }

    @Override
    public void convolutionBackwardData(float alpha, FilterDesc wDesc, DevicePtr w, TensorDesc dyDesc, DevicePtr dy,
                                        ConvDesc conv, int algo, DevicePtr workspace, long workspaceBytes, float beta,
                                        TensorDesc dxDesc, DevicePtr dx) {
        String call = "cudnnConvolutionBackwardData";
        calls.enter(call);
        calls.arguments(alpha, wDesc, w, dyDesc, dy, conv, algo, workspace, workspaceBytes, beta, dxDesc, dx);
        ConvGeometry g = geometry(call, dxDesc, wDesc, conv, dyDesc);
        long required = workspace(call, ConvPass.BACKWARD_DATA, g, algo, workspace, workspaceBytes);
        requireSquare(call, g);
        Filter4d wd = filter(call, "w", wDesc);
        Tensor4d dyd = tensor(call, "dy", dyDesc);
        Tensor4d dxd = tensor(call, "dx", dxDesc);
        refuseIfAsked(call, dyd);
        checkFilter("w", w, wd);
        checkTensor("dy", dy, dyd);
        checkTensor("dx", dx, dxd);
        streams.enqueue(stream, call, () -> {
            scribble(workspace, required);
            Tensor out = ConvMath.backwardData(g, memory.readAsFloats(w, (int) wd.count(), wd.type), load(dy, dyd));
            blend(dx, out.data, alpha, beta, dxd.type);
        });
    }

    @Override
    public void convolutionBackwardFilter(float alpha, TensorDesc xDesc, DevicePtr x, TensorDesc dyDesc, DevicePtr dy,
                                          ConvDesc conv, int algo, DevicePtr workspace, long workspaceBytes, float beta,
                                          FilterDesc dwDesc, DevicePtr dw) {
        String call = "cudnnConvolutionBackwardFilter";
        calls.enter(call);
        calls.arguments(alpha, xDesc, x, dyDesc, dy, conv, algo, workspace, workspaceBytes, beta, dwDesc, dw);
        ConvGeometry g = geometry(call, xDesc, dwDesc, conv, dyDesc);
        long required = workspace(call, ConvPass.BACKWARD_FILTER, g, algo, workspace, workspaceBytes);
        requireSquare(call, g);
        Tensor4d xd = tensor(call, "x", xDesc);
        Tensor4d dyd = tensor(call, "dy", dyDesc);
        Filter4d dwd = filter(call, "dw", dwDesc);
        refuseIfAsked(call, xd);
        checkTensor("x", x, xd);
        checkTensor("dy", dy, dyd);
        checkFilter("dw", dw, dwd);
        streams.enqueue(stream, call, () -> {
            scribble(workspace, required);
            blend(dw, ConvMath.backwardFilter(g, load(x, xd), load(dy, dyd)), alpha, beta, dwd.type);
        });
    }

    @Override
    public void convolutionBackwardBias(float alpha, TensorDesc dyDesc, DevicePtr dy, float beta, TensorDesc dbDesc,
                                        DevicePtr db) {
        String call = "cudnnConvolutionBackwardBias";
        calls.enter(call);
        calls.arguments(alpha, dyDesc, dy, beta, dbDesc, db);
        Tensor4d dyd = tensor(call, "dy", dyDesc);
        Tensor4d dbd = tensor(call, "db", dbDesc);
        refuseIfAsked(call, dyd);
        if (dbd.n != 1 || dbd.c != dyd.c || dbd.h != 1 || dbd.w != 1) {
            throw badParam(call, "db is " + dbd + ", expected 1x" + dyd.c + "x1x1 for dy " + dyd);
        }
        // cuDNN API reference, cudnnConvolutionBackwardBias: BAD_PARAM when the two descriptors' types differ.
        requireSameType(call, Status.CUDNN_BAD_PARAM, "dy", dyd, "db", dbd);
        checkTensor("dy", dy, dyd);
        checkTensor("db", db, dbd);
        streams.enqueue(stream, call, () -> {
            float[] g = memory.readAsFloats(dy, (int) dyd.count(), dyd.type);
            int plane = dyd.h * dyd.w;
            float[] sums = new float[dyd.c];
            for (int c = 0; c < dyd.c; c++) {
                double s = 0;
                for (int n = 0; n < dyd.n; n++) {
                    for (int i = (n * dyd.c + c) * plane, end = i + plane; i < end; i++) {
                        s += g[i];
                    }
                }
                sums[c] = (float) s;
            }
            blend(db, sums, alpha, beta, dbd.type);
        });
    }

    @Override
    public void addTensor(float alpha, TensorDesc bDesc, DevicePtr b, float beta, TensorDesc yDesc, DevicePtr y) {
        String call = "cudnnAddTensor";
        calls.enter(call);
        calls.arguments(alpha, bDesc, b, beta, yDesc, y);
        Tensor4d bd = tensor(call, "b", bDesc);
        Tensor4d yd = tensor(call, "y", yDesc);
        refuseIfAsked(call, yd);
        int[] bDims = {bd.n, bd.c, bd.h, bd.w};
        int[] yDims = {yd.n, yd.c, yd.h, yd.w};
        for (int i = 0; i < 4; i++) {
            if (bDims[i] != yDims[i] && bDims[i] != 1) {
                throw badParam(call, "b " + bd + " does not broadcast onto y " + yd
                        + " (each dimension must match or be 1)");
            }
        }
        // cuDNN API reference, cudnnAddTensor: BAD_PARAM when the two descriptors' data types differ.
        requireSameType(call, Status.CUDNN_BAD_PARAM, "b", bd, "y", yd);
        checkTensor("b", b, bd);
        checkTensor("y", y, yd);
        streams.enqueue(stream, call, () -> {
            float[] bv = memory.readAsFloats(b, (int) bd.count(), bd.type);
            float[] out = new float[(int) yd.count()];
            int i = 0;
            for (int n = 0; n < yd.n; n++) {
                for (int c = 0; c < yd.c; c++) {
                    for (int h = 0; h < yd.h; h++) {
                        int row = ((broadcast(n, bd.n) * bd.c + broadcast(c, bd.c)) * bd.h + broadcast(h, bd.h)) * bd.w;
                        for (int w = 0; w < yd.w; w++) {
                            out[i++] = bv[row + broadcast(w, bd.w)];
                        }
                    }
                }
            }
            blend(y, out, alpha, beta, yd.type);
        });
    }

    /** The index into a dimension of size 1 (broadcast) or of the full size. */
    private static int broadcast(int i, int size) {
        return size == 1 ? 0 : i;
    }

    // ---------------------------------------------------------------- pooling

    @Override
    public void poolingForward(PoolDesc pool, float alpha, TensorDesc xDesc, DevicePtr x, float beta, TensorDesc yDesc,
                               DevicePtr y) {
        String call = "cudnnPoolingForward";
        calls.enter(call);
        calls.arguments(pool, alpha, xDesc, x, beta, yDesc, y);
        MaxPool2d pd = pool(call, pool);
        Tensor4d xd = tensor(call, "x", xDesc);
        Tensor4d yd = tensor(call, "y", yDesc);
        requireDims(call, "y", yd, outputDim(call, pd, xd));
        refuseIfAsked(call, xd);
        // cuDNN API reference, cudnnPoolingForward: BAD_PARAM when the input and output types differ.
        requireSameType(call, Status.CUDNN_BAD_PARAM, "y", yd, "x", xd);
        MaxPoolMath layer = maxPool(call, pd);
        checkTensor("x", x, xd);
        checkTensor("y", y, yd);
        streams.enqueue(stream, call, () -> {
            Tensor out = new Tensor(yd.shape());
            layer.forward(load(x, xd), out);
            blend(y, out.data, alpha, beta, yd.type);
        });
    }

    @Override
    public void poolingBackward(PoolDesc pool, float alpha, TensorDesc yDesc, DevicePtr y, TensorDesc dyDesc,
                                DevicePtr dy, TensorDesc xDesc, DevicePtr x, float beta, TensorDesc dxDesc, DevicePtr dx) {
        String call = "cudnnPoolingBackward";
        calls.enter(call);
        calls.arguments(pool, alpha, yDesc, y, dyDesc, dy, xDesc, x, beta, dxDesc, dx);
        MaxPool2d pd = pool(call, pool);
        Tensor4d yd = tensor(call, "y", yDesc);
        Tensor4d dyd = tensor(call, "dy", dyDesc);
        Tensor4d xd = tensor(call, "x", xDesc);
        Tensor4d dxd = tensor(call, "dx", dxDesc);
        refuseIfAsked(call, xd);
        requireDims(call, "y", yd, outputDim(call, pd, xd));
        requireSame(call, "dy", dyd, "y", yd);
        requireSame(call, "dx", dxd, "x", xd);
        // cuDNN API reference, cudnnPoolingBackward: BAD_PARAM when the four tensors' types differ.
        requireSameType(call, Status.CUDNN_BAD_PARAM, "y", yd, "x", xd);
        requireSameType(call, Status.CUDNN_BAD_PARAM, "dy", dyd, "x", xd);
        requireSameType(call, Status.CUDNN_BAD_PARAM, "dx", dxd, "x", xd);
        MaxPoolMath layer = maxPool(call, pd);
        checkTensor("y", y, yd);
        checkTensor("dy", dy, dyd);
        checkTensor("x", x, xd);
        checkTensor("dx", dx, dxd);
        streams.enqueue(stream, call, () -> {
            Tensor dyT = load(dy, dyd);
            Tensor out = new Tensor(dxd.shape());
            // MaxPoolMath recomputes each window's argmax from x; its y argument is only shape-checked, so dy (same
            // shape, checked above) stands in for it and y is not copied.
            layer.backward(load(x, xd), dyT, dyT, out);
            blend(dx, out.data, alpha, beta, dxd.type);
        });
    }

    // ---------------------------------------------------------------- LRN

    @Override
    public void lrnForward(LrnDesc lrn, float alpha, TensorDesc xDesc, DevicePtr x, float beta, TensorDesc yDesc,
                           DevicePtr y) {
        String call = "cudnnLRNCrossChannelForward";
        calls.enter(call);
        calls.arguments(lrn, alpha, xDesc, x, beta, yDesc, y);
        LrnMath layer = lrnLayer(call, lrn(call, lrn));
        Tensor4d xd = tensor(call, "x", xDesc);
        Tensor4d yd = tensor(call, "y", yDesc);
        requireSame(call, "y", yd, "x", xd);
        refuseIfAsked(call, xd);
        // cuDNN API reference, cudnnLRNCrossChannelForward: NOT_SUPPORTED when an input type differs from an output's.
        requireSameType(call, Status.CUDNN_NOT_SUPPORTED, "y", yd, "x", xd);
        checkTensor("x", x, xd);
        checkTensor("y", y, yd);
        streams.enqueue(stream, call, () -> {
            Tensor out = new Tensor(yd.shape());
            layer.forward(load(x, xd), out);
            blend(y, out.data, alpha, beta, yd.type);
        });
    }

    @Override
    public void lrnBackward(LrnDesc lrn, float alpha, TensorDesc yDesc, DevicePtr y, TensorDesc dyDesc, DevicePtr dy,
                            TensorDesc xDesc, DevicePtr x, float beta, TensorDesc dxDesc, DevicePtr dx) {
        String call = "cudnnLRNCrossChannelBackward";
        calls.enter(call);
        calls.arguments(lrn, alpha, yDesc, y, dyDesc, dy, xDesc, x, beta, dxDesc, dx);
        LrnMath layer = lrnLayer(call, lrn(call, lrn));
        Tensor4d yd = tensor(call, "y", yDesc);
        Tensor4d dyd = tensor(call, "dy", dyDesc);
        Tensor4d xd = tensor(call, "x", xDesc);
        Tensor4d dxd = tensor(call, "dx", dxDesc);
        refuseIfAsked(call, xd);
        requireSame(call, "y", yd, "x", xd);
        requireSame(call, "dy", dyd, "x", xd);
        requireSame(call, "dx", dxd, "x", xd);
        // cuDNN API reference, cudnnLRNCrossChannelBackward: NOT_SUPPORTED when an input type differs from an output's.
        requireSameType(call, Status.CUDNN_NOT_SUPPORTED, "y", yd, "x", xd);
        requireSameType(call, Status.CUDNN_NOT_SUPPORTED, "dy", dyd, "x", xd);
        requireSameType(call, Status.CUDNN_NOT_SUPPORTED, "dx", dxd, "x", xd);
        checkTensor("y", y, yd);
        checkTensor("dy", dy, dyd);
        checkTensor("x", x, xd);
        checkTensor("dx", dx, dxd);
        streams.enqueue(stream, call, () -> {
            Tensor out = new Tensor(dxd.shape());
            layer.backward(load(x, xd), load(y, yd), load(dy, dyd), out);
            blend(dx, out.data, alpha, beta, dxd.type);
        });
    }

    // ---------------------------------------------------------------- shapes and checks

    /** The geometry of a convolution whose descriptors agree: x channels == filter c, y == the output dims. */
    private ConvGeometry geometry(String call, TensorDesc x, FilterDesc w, ConvDesc conv, TensorDesc y) {
        Tensor4d xd = tensor(call, "x", x);
        Filter4d wd = filter(call, "w", w);
        Convolution cd = conv(call, conv);
        Tensor4d yd = tensor(call, "y", y);
        requireDims(call, "y", yd, outputDim(call, cd, xd, wd));
        // cuDNN API reference, cudnnConvolution{Forward,BackwardData,BackwardFilter}: BAD_PARAM when the tensors'
        // and the filter's data types do not match (the compute type is FLOAT for all three).
        if (xd.type != wd.type || yd.type != wd.type) {
            throw badParam(call, "x, w and y must share one data type: x " + Dnn.dataTypeName(xd.type)
                    + ", w " + Dnn.dataTypeName(wd.type) + ", y " + Dnn.dataTypeName(yd.type));
        }
        return new ConvGeometry(xd.n, xd.c, xd.h, xd.w, wd.k, wd.r, wd.s, yd.h, yd.w, cd.padH, cd.padW, cd.strideH,
                cd.strideW);
    }

    /** cudnnGetConvolution2dForwardOutputDim: 1 + (in + 2 pad - filter) / stride per spatial dimension. */
    private static int[] outputDim(String call, Convolution cd, Tensor4d xd, Filter4d wd) {
        if (xd.c != wd.c) {
            throw badParam(call, xd + " has " + xd.c + " channels, " + wd + " expects " + wd.c);
        }
        int spanH = xd.h + 2 * cd.padH - wd.r;
        int spanW = xd.w + 2 * cd.padW - wd.s;
        if (spanH < 0 || spanW < 0) {
            throw badParam(call, wd + " with " + cd + " does not fit in " + xd);
        }
        return new int[] {xd.n, wd.k, 1 + spanH / cd.strideH, 1 + spanW / cd.strideW};
    }

    /** cudnnGetPooling2dForwardOutputDim: 1 + (in + 2 pad - window) / stride per spatial dimension. */
    private static int[] outputDim(String call, MaxPool2d pd, Tensor4d xd) {
        int spanH = xd.h + 2 * pd.padH - pd.windowH;
        int spanW = xd.w + 2 * pd.padW - pd.windowW;
        if (spanH < 0 || spanW < 0) {
            throw badParam(call, pd + " does not fit in " + xd);
        }
        return new int[] {xd.n, xd.c, 1 + spanH / pd.strideH, 1 + spanW / pd.strideW};
    }

    private static void requireDims(String call, String what, Tensor4d t, int[] dims) {
        if (!t.hasDims(dims)) {
            throw badParam(call, what + " is " + t + ", the operation gives " + dims[0] + "x" + dims[1] + "x" + dims[2]
                    + "x" + dims[3]);
        }
    }

    private static void requireSame(String call, String what, Tensor4d t, String other, Tensor4d o) {
        if (!t.sameDims(o)) {
            throw badParam(call, what + " is " + t + " but " + other + " is " + o);
        }
    }

    private static void requireSameType(String call, String status, String what, Tensor4d t, String other,
                                        Tensor4d o) {
        if (t.type != o.type) {
            throw new DeviceException(call, status, what + " is " + Dnn.dataTypeName(t.type) + " but " + other
                    + " is " + Dnn.dataTypeName(o.type));
        }
    }

    private static void requireSquare(String call, ConvGeometry g) {
        if (!g.square()) {
            throw new DeviceException(call, Status.CUDNN_NOT_SUPPORTED, "the simulator runs square kernels with "
                    + "equal padding and strides only (the CPU engine's Conv2d), got " + g);
        }
    }

    /** The entry of a listed algorithm: BAD_PARAM outside the pass's enum, NOT_SUPPORTED where it is not listed. */
    private static AlgoPerf algorithm(String call, ConvPass pass, ConvGeometry g, int algo) {
        if (algo < 0 || algo >= ConvAlgorithms.count(pass)) {
            throw badParam(call, "algorithm " + algo + " is not a " + pass + " algorithm (0.."
                    + (ConvAlgorithms.count(pass) - 1) + ")");
        }
        AlgoPerf p = ConvAlgorithms.find(pass, g, algo);
        if (p == null || !p.ok()) {
            throw new DeviceException(call, Status.CUDNN_NOT_SUPPORTED, pass + " algorithm " + algo
                    + " is not available for " + g);
        }
        return p;
    }

    /** Checks the workspace the caller passes against the algorithm's; returns the bytes the algorithm uses. */
    private long workspace(String call, ConvPass pass, ConvGeometry g, int algo, DevicePtr ws, long wsBytes) {
        long required = algorithm(call, pass, g, algo).memory();
        if (wsBytes < required) {
            throw badParam(call, "workspace of " + wsBytes + " bytes, algorithm " + algo + " needs " + required);
        }
        if (wsBytes > 0) {
            memory.checkAccess("workspace", ws, wsBytes, 1);
        }
        return required;
    }

    /**
     * Overwrites the part of the workspace the algorithm uses with NaNs, as the real algorithm overwrites it with
     * its scratch data: an engine that keeps live data there sees it destroyed here too.
     */
    private void scribble(DevicePtr ws, long required) {
        if (required > 0) {
            memory.poison(ws, required);
        }
    }

    private MaxPoolMath maxPool(String call, MaxPool2d pd) {
        if (pd.windowH != pd.windowW || pd.strideH != pd.strideW || pd.padH != 0 || pd.padW != 0) {
            throw new DeviceException(call, Status.CUDNN_NOT_SUPPORTED, "the simulator runs square windows with equal "
                    + "strides and no padding only (the CPU engine's MaxPool), got " + pd);
        }
        return new MaxPoolMath(call, pd.windowH, pd.strideH);
    }

    private static LrnMath lrnLayer(String call, Lrn ld) {
        if (ld.n % 2 == 0 || ld.alpha < 0) {
            // cuDNN's window reaches floor((n-1)/2) channels back, PyTorch's (the CPU layer's) floor(n/2): the
            // same for odd n only.
            throw new DeviceException(call, Status.CUDNN_NOT_SUPPORTED, "the simulator runs odd windows with alpha >= 0"
                    + " only (for even n, cuDNN and PyTorch place the window differently), got " + ld);
        }
        return new LrnMath(call, ld.n, ld.alpha, ld.beta, ld.k);
    }

    /** The whole tensor inside its pointer's allocation, aligned to the element size (4 or 2 bytes). */
    private void checkTensor(String operand, DevicePtr ptr, Tensor4d d) {
        memory.checkAccess(operand, ptr, d.bytes(), d.type.bytes());
    }

    private void checkFilter(String operand, DevicePtr ptr, Filter4d d) {
        memory.checkAccess(operand, ptr, d.bytes(), d.type.bytes());
    }

    /** The tensor as floats: 16-bit elements widened exactly. */
    private Tensor load(DevicePtr ptr, Tensor4d d) {
        return new Tensor(d.shape(), memory.readAsFloats(ptr, (int) d.count(), d.type));
    }

    /**
     * dst = alpha * result + beta * dst in float (dst's 16-bit elements widened exactly), then stored in dst's type,
     * rounded once to nearest even for HALF and BFLOAT16; beta == 0 writes dst without reading it. Reuses result's
     * array.
     */
    private void blend(DevicePtr dst, float[] result, float alpha, float beta, StorageFormat type) {
        if (beta == 0f) {
            if (alpha != 1f) {
                for (int i = 0; i < result.length; i++) {
                    result[i] = alpha * result[i];
                }
            }
        } else {
            float[] old = memory.readAsFloats(dst, result.length, type);
            for (int i = 0; i < result.length; i++) {
                result[i] = alpha * result[i] + beta * old[i];
            }
        }
        memory.writeFloatsAs(dst, result, type);
    }

    // ---------------------------------------------------------------- descriptor handles

    private Tensor4d tensor(String call, String what, TensorDesc d) {
        return live(call, what, d, Tensor4d.class);
    }

    private Filter4d filter(String call, String what, FilterDesc d) {
        return live(call, what, d, Filter4d.class);
    }

    private Convolution conv(String call, ConvDesc d) {
        return live(call, "convolution descriptor", d, Convolution.class);
    }

    private MaxPool2d pool(String call, PoolDesc d) {
        return live(call, "pooling descriptor", d, MaxPool2d.class);
    }

    private Lrn lrn(String call, LrnDesc d) {
        return live(call, "LRN descriptor", d, Lrn.class);
    }

    /** The descriptor as this simulator's type, if it is one of this device's and not destroyed: else BAD_PARAM. */
    private <T extends Base> T live(String call, String what, Object d, Class<T> type) {
        if (!type.isInstance(d) || ((Base) d).owner != this) {
            throw badParam(call, what + ": not a " + type.getSimpleName() + " descriptor of this device: " + d);
        }
        T t = type.cast(d);
        if (t.destroyed) {
            throw badParam(call, what + ": " + d + " has been destroyed");
        }
        return t;
    }

    private static DeviceException badParam(String call, String detail) {
        return new DeviceException(call, Status.CUDNN_BAD_PARAM, detail);
    }
}
