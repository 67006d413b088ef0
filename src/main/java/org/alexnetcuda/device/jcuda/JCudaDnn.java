package org.alexnetcuda.device.jcuda;

import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Dnn;
import org.alexnetcuda.device.Handles;
import org.alexnetcuda.tensor.StorageFormat;

import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgo;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgo;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgo;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnDeterminism;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnLRNDescriptor;
import jcuda.jcudnn.cudnnLRNMode;
import jcuda.jcudnn.cudnnMathType;
import jcuda.jcudnn.cudnnNanPropagation;
import jcuda.jcudnn.cudnnPoolingDescriptor;
import jcuda.jcudnn.cudnnPoolingMode;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import jcuda.runtime.cudaStream_t;

/**
 * cuDNN through the JCudnn 11.7.0 Java API on the 12.6.0 natives, which link libcudnn.so.9. The legacy calls
 * used here are all still in cuDNN 9 (most deprecated, none removed) with unchanged signatures, and the enum
 * values they take are the same in the 11.7.0 and 12.6.0 Java classes. Only cudnnStatus_t was renumbered:
 * statuses are named by {@link CudnnStatus}, never by JCudnn's cudnnStatus.
 *
 * <p>Argument order pitfalls of the C API, kept here: a tensor descriptor is set (format, dataType, ...), a
 * filter descriptor (dataType, format, ...); cudnnSetLRNDescriptor takes (n, alpha, beta, k).
 */
final class JCudaDnn implements Dnn {
    private final JCudaContext context;
    private final cudnnHandle handle = new cudnnHandle();
    /** alpha and beta: host floats, as cuDNN takes for FLOAT, HALF and BFLOAT16 data (double only for DOUBLE). */
    private final HostValues scalars = new HostValues();
    private boolean closed;

    JCudaDnn(JCudaContext context) {
        this.context = context;
        context.enter();
        JCudnn.setExceptionsEnabled(false);
        Check.cudnn(JCudnn.cudnnCreate(handle), "cudnnCreate", null);
    }

    @Override
    public void setStream(Handles.Stream stream) {
        context.enter();
        Check.cudnn(JCudnn.cudnnSetStream(handle, new cudaStream_t(JCudaHandles.cu(stream))), "cudnnSetStream", null);
    }

    @Override
    public Handles.TensorDesc tensor(int n, int c, int h, int w, StorageFormat type) {
        context.enter();
        cudnnTensorDescriptor d = new cudnnTensorDescriptor();
        Check.cudnn(JCudnn.cudnnCreateTensorDescriptor(d), "cudnnCreateTensorDescriptor", null);
        Check.cudnn(JCudnn.cudnnSetTensor4dDescriptor(d, cudnnTensorFormat.CUDNN_TENSOR_NCHW, dataType(type), n, c,
                h, w), "cudnnSetTensor4dDescriptor", n + "x" + c + "x" + h + "x" + w + " " + type);
        return new JCudaHandles.TensorDesc(d, n, c, h, w, type);
    }

    @Override
    public Handles.FilterDesc filter(int k, int c, int h, int w, StorageFormat type) {
        context.enter();
        cudnnFilterDescriptor d = new cudnnFilterDescriptor();
        Check.cudnn(JCudnn.cudnnCreateFilterDescriptor(d), "cudnnCreateFilterDescriptor", null);
        Check.cudnn(JCudnn.cudnnSetFilter4dDescriptor(d, dataType(type), cudnnTensorFormat.CUDNN_TENSOR_NCHW, k, c,
                h, w), "cudnnSetFilter4dDescriptor", k + "x" + c + "x" + h + "x" + w + " " + type);
        return new JCudaHandles.FilterDesc(d, k, c, h, w, type);
    }

    /**
     * cudnnDataType_t of a storage format: CUDNN_DATA_FLOAT 0, CUDNN_DATA_HALF 2, CUDNN_DATA_BFLOAT16 9 (the
     * constants of JCudnn 11.7.0's cudnnDataType, the same numbers as cudnnDataType_t in cuDNN 8 and 9's headers).
     */
    static int dataType(StorageFormat type) {
        return switch (type) {
            case F32 -> cudnnDataType.CUDNN_DATA_FLOAT;
            case F16 -> cudnnDataType.CUDNN_DATA_HALF;
            case BF16 -> cudnnDataType.CUDNN_DATA_BFLOAT16;
        };
    }

    /**
     * Compute type FLOAT for every tensor type (with HALF or BFLOAT16 tensors, cuDNN's PSEUDO_HALF /
     * PSEUDO_BFLOAT16 configurations: 16-bit storage, FP32 accumulation). Math type: tensorOps allows tensor-op
     * kernels (CUDNN_TENSOR_OP_MATH: TF32 on FLOAT tensors, FP16/BF16 tensor cores on 16-bit ones); otherwise
     * CUDNN_FMA_MATH, which restricts cuDNN to FMA kernels so FP32 convolutions stay FP32 on Ampere and newer
     * (CUDNN_DEFAULT_MATH would let cuDNN pick TF32 there, per cudnnMathType_t in the cuDNN API reference).
     */
    @Override
    public Handles.ConvDesc convolution(int padH, int padW, int strideH, int strideW, boolean tensorOps) {
        context.enter();
        String text = "conv pad " + padH + "," + padW + " stride " + strideH + "," + strideW
                + (tensorOps ? " tensor ops" : "");
        cudnnConvolutionDescriptor d = new cudnnConvolutionDescriptor();
        Check.cudnn(JCudnn.cudnnCreateConvolutionDescriptor(d), "cudnnCreateConvolutionDescriptor", null);
        Check.cudnn(JCudnn.cudnnSetConvolution2dDescriptor(d, padH, padW, strideH, strideW, 1, 1,
                cudnnConvolutionMode.CUDNN_CROSS_CORRELATION, cudnnDataType.CUDNN_DATA_FLOAT),
                "cudnnSetConvolution2dDescriptor", text);
        int math = tensorOps ? cudnnMathType.CUDNN_TENSOR_OP_MATH : cudnnMathType.CUDNN_FMA_MATH;
        Check.cudnn(JCudnn.cudnnSetConvolutionMathType(d, math), "cudnnSetConvolutionMathType", text);
        return new JCudaHandles.ConvDesc(d, text);
    }

    @Override
    public Handles.PoolDesc maxPooling(int windowH, int windowW, int padH, int padW, int strideH, int strideW,
                                       boolean deterministic) {
        context.enter();
        String text = "max pool " + windowH + "x" + windowW + " pad " + padH + "," + padW + " stride " + strideH
                + "," + strideW + (deterministic ? " deterministic" : "");
        cudnnPoolingDescriptor d = new cudnnPoolingDescriptor();
        Check.cudnn(JCudnn.cudnnCreatePoolingDescriptor(d), "cudnnCreatePoolingDescriptor", null);
        int mode = deterministic ? cudnnPoolingMode.CUDNN_POOLING_MAX_DETERMINISTIC : cudnnPoolingMode.CUDNN_POOLING_MAX;
        Check.cudnn(JCudnn.cudnnSetPooling2dDescriptor(d, mode, cudnnNanPropagation.CUDNN_PROPAGATE_NAN, windowH,
                windowW, padH, padW, strideH, strideW),
                "cudnnSetPooling2dDescriptor", text);
        return new JCudaHandles.PoolDesc(d, text);
    }

    @Override
    public Handles.LrnDesc lrn(int n, double alpha, double beta, double k) {
        context.enter();
        String text = "lrn n=" + n + " alpha=" + alpha + " beta=" + beta + " k=" + k;
        cudnnLRNDescriptor d = new cudnnLRNDescriptor();
        Check.cudnn(JCudnn.cudnnCreateLRNDescriptor(d), "cudnnCreateLRNDescriptor", null);
        Check.cudnn(JCudnn.cudnnSetLRNDescriptor(d, n, alpha, beta, k), "cudnnSetLRNDescriptor", text);
        return new JCudaHandles.LrnDesc(d, text);
    }

    @Override
    public void destroy(Object descriptor) {
        context.enter();
        if (descriptor instanceof JCudaHandles.TensorDesc t) {
            Check.cudnn(JCudnn.cudnnDestroyTensorDescriptor(t.cu()), "cudnnDestroyTensorDescriptor", t.toString());
        } else if (descriptor instanceof JCudaHandles.FilterDesc f) {
            Check.cudnn(JCudnn.cudnnDestroyFilterDescriptor(f.cu()), "cudnnDestroyFilterDescriptor", f.toString());
        } else if (descriptor instanceof JCudaHandles.ConvDesc c) {
            Check.cudnn(JCudnn.cudnnDestroyConvolutionDescriptor(c.cu()), "cudnnDestroyConvolutionDescriptor",
                    c.toString());
        } else if (descriptor instanceof JCudaHandles.PoolDesc p) {
            Check.cudnn(JCudnn.cudnnDestroyPoolingDescriptor(p.cu()), "cudnnDestroyPoolingDescriptor", p.toString());
        } else if (descriptor instanceof JCudaHandles.LrnDesc l) {
            Check.cudnn(JCudnn.cudnnDestroyLRNDescriptor(l.cu()), "cudnnDestroyLRNDescriptor", l.toString());
        } else {
            throw new IllegalArgumentException("not a descriptor of this JCuda device: " + descriptor);
        }
    }

    @Override
    public int[] convolutionOutputDim(Handles.ConvDesc conv, Handles.TensorDesc x, Handles.FilterDesc w) {
        context.enter();
        int[] n = new int[1];
        int[] c = new int[1];
        int[] h = new int[1];
        int[] wd = new int[1];
        Check.cudnn(JCudnn.cudnnGetConvolution2dForwardOutputDim(conv(conv), tensor(x), filter(w), n, c, h, wd),
                "cudnnGetConvolution2dForwardOutputDim", x + " * " + w + " " + conv);
        return new int[] {n[0], c[0], h[0], wd[0]};
    }

    @Override
    public int[] poolingOutputDim(Handles.PoolDesc pool, Handles.TensorDesc x) {
        context.enter();
        int[] n = new int[1];
        int[] c = new int[1];
        int[] h = new int[1];
        int[] w = new int[1];
        Check.cudnn(JCudnn.cudnnGetPooling2dForwardOutputDim(JCudaHandles.as(JCudaHandles.PoolDesc.class, pool).cu(),
                tensor(x), n, c, h, w), "cudnnGetPooling2dForwardOutputDim", x + " " + pool);
        return new int[] {n[0], c[0], h[0], w[0]};
    }

    /**
     * The _v7 heuristics. The perf array must be at least as long as the requested count (JCudnn's JNI throws
     * otherwise), so it is sized from cudnnGetConvolution*AlgorithmMaxCount and the algorithm enum's COUNT,
     * whichever is larger, and pre-filled, mathType with {@link AlgoPerf#MATH_NOT_REPORTED}: JCudnn 12.6's JNI copies
     * cuDNN's mathType back only for backward-filter results, so forward and backward-data entries say they were
     * not reported rather than DEFAULT_MATH (0). For BACKWARD_DATA, x is dx and y is dy; for BACKWARD_FILTER, w is dw.
     */
    @Override
    public List<AlgoPerf> convolutionAlgorithms(ConvPass pass, Handles.TensorDesc x, Handles.FilterDesc w,
                                                Handles.ConvDesc conv, Handles.TensorDesc y) {
        return algorithms(pass, x, w, conv, y, false);
    }

    /**
     * cudnnFindConvolution*Algorithm: cuDNN runs every algorithm on scratch buffers it allocates itself (outside our
     * pool, before training) and ranks them by measured time, as PyTorch's cudnn.benchmark does.
     */
    @Override
    public List<AlgoPerf> findConvolutionAlgorithms(ConvPass pass, Handles.TensorDesc x, Handles.FilterDesc w,
                                                    Handles.ConvDesc conv, Handles.TensorDesc y) {
        return algorithms(pass, x, w, conv, y, true);
    }

    private List<AlgoPerf> algorithms(ConvPass pass, Handles.TensorDesc x, Handles.FilterDesc w,
                                      Handles.ConvDesc conv, Handles.TensorDesc y, boolean find) {
        context.enter();
        String what = pass + " " + x + " * " + w + " -> " + y + " " + conv;
        int[] max = new int[1];
        int[] returned = new int[1];
        List<AlgoPerf> out = new ArrayList<>();
        switch (pass) {
            case FORWARD -> {
                Check.cudnn(JCudnn.cudnnGetConvolutionForwardAlgorithmMaxCount(handle, max),
                        "cudnnGetConvolutionForwardAlgorithmMaxCount", null);
                int n = Math.max(max[0], cudnnConvolutionFwdAlgo.CUDNN_CONVOLUTION_FWD_ALGO_COUNT);
                cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[n];
                for (int i = 0; i < n; i++) {
                    perf[i] = new cudnnConvolutionFwdAlgoPerf();
                    perf[i].mathType = AlgoPerf.MATH_NOT_REPORTED;
                }
                Check.cudnn(find
                        ? JCudnn.cudnnFindConvolutionForwardAlgorithm(handle, tensor(x), filter(w), conv(conv), tensor(y), n,
                                returned, perf)
                        : JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(handle, tensor(x), filter(w), conv(conv), tensor(y), n,
                                returned, perf),
                        find ? "cudnnFindConvolutionForwardAlgorithm" : "cudnnGetConvolutionForwardAlgorithm_v7", what);
                for (int i = 0; i < returned[0]; i++) {
                    out.add(perf(perf[i].algo, perf[i].status, perf[i].time, perf[i].memory, perf[i].determinism,
                            perf[i].mathType));
                }
            }
            case BACKWARD_DATA -> {
                Check.cudnn(JCudnn.cudnnGetConvolutionBackwardDataAlgorithmMaxCount(handle, max),
                        "cudnnGetConvolutionBackwardDataAlgorithmMaxCount", null);
                int n = Math.max(max[0], cudnnConvolutionBwdDataAlgo.CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT);
                cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[n];
                for (int i = 0; i < n; i++) {
                    perf[i] = new cudnnConvolutionBwdDataAlgoPerf();
                    perf[i].mathType = AlgoPerf.MATH_NOT_REPORTED;
                }
                Check.cudnn(find
                        ? JCudnn.cudnnFindConvolutionBackwardDataAlgorithm(handle, filter(w), tensor(y), conv(conv),
                                tensor(x), n, returned, perf)
                        : JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, filter(w), tensor(y), conv(conv),
                                tensor(x), n, returned, perf),
                        find ? "cudnnFindConvolutionBackwardDataAlgorithm" : "cudnnGetConvolutionBackwardDataAlgorithm_v7", what);
                for (int i = 0; i < returned[0]; i++) {
                    out.add(perf(perf[i].algo, perf[i].status, perf[i].time, perf[i].memory, perf[i].determinism,
                            perf[i].mathType));
                }
            }
            case BACKWARD_FILTER -> {
                Check.cudnn(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(handle, max),
                        "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount", null);
                int n = Math.max(max[0], cudnnConvolutionBwdFilterAlgo.CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT);
                cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[n];
                for (int i = 0; i < n; i++) {
                    perf[i] = new cudnnConvolutionBwdFilterAlgoPerf();
                    perf[i].mathType = AlgoPerf.MATH_NOT_REPORTED;
                }
                Check.cudnn(find
                        ? JCudnn.cudnnFindConvolutionBackwardFilterAlgorithm(handle, tensor(x), tensor(y), conv(conv),
                                filter(w), n, returned, perf)
                        : JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(handle, tensor(x), tensor(y), conv(conv),
                                filter(w), n, returned, perf),
                        find ? "cudnnFindConvolutionBackwardFilterAlgorithm" : "cudnnGetConvolutionBackwardFilterAlgorithm_v7",
                        what);
                for (int i = 0; i < returned[0]; i++) {
                    out.add(perf(perf[i].algo, perf[i].status, perf[i].time, perf[i].memory, perf[i].determinism,
                            perf[i].mathType));
                }
            }
            default -> throw new IllegalArgumentException(String.valueOf(pass));
        }
        return out;
    }

    @Override
    public long convolutionWorkspaceSize(ConvPass pass, Handles.TensorDesc x, Handles.FilterDesc w,
                                         Handles.ConvDesc conv, Handles.TensorDesc y, int algo) {
        context.enter();
        String what = pass + " algo " + algo + " " + x + " * " + w + " -> " + y + " " + conv;
        long[] bytes = new long[1];
        switch (pass) {
            case FORWARD -> Check.cudnn(JCudnn.cudnnGetConvolutionForwardWorkspaceSize(handle, tensor(x), filter(w),
                    conv(conv), tensor(y), algo, bytes), "cudnnGetConvolutionForwardWorkspaceSize", what);
            case BACKWARD_DATA -> Check.cudnn(JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(handle, filter(w),
                    tensor(y), conv(conv), tensor(x), algo, bytes), "cudnnGetConvolutionBackwardDataWorkspaceSize",
                    what);
            case BACKWARD_FILTER -> Check.cudnn(JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(handle,
                    tensor(x), tensor(y), conv(conv), filter(w), algo, bytes),
                    "cudnnGetConvolutionBackwardFilterWorkspaceSize", what);
            default -> throw new IllegalArgumentException(String.valueOf(pass));
        }
        return bytes[0];
    }

    @Override
    public void convolutionForward(float alpha, Handles.TensorDesc xDesc, DevicePtr x, Handles.FilterDesc wDesc,
                                   DevicePtr w, Handles.ConvDesc conv, int algo, DevicePtr workspace,
                                   long workspaceBytes, float beta, Handles.TensorDesc yDesc, DevicePtr y) {
        context.enter();
        Check.cudnn(JCudnn.cudnnConvolutionForward(handle, scalars.alpha(alpha), tensor(xDesc), ptr(x), filter(wDesc), ptr(w),
                conv(conv), algo, ptr(workspace), workspaceBytes, scalars.beta(beta), tensor(yDesc), ptr(y)),
                "cudnnConvolutionForward", "algo " + algo + " " + xDesc + " * " + wDesc + " workspace "
                        + workspaceBytes);
    }

    @Override
    public void convolutionBackwardData(float alpha, Handles.FilterDesc wDesc, DevicePtr w, Handles.TensorDesc dyDesc,
                                        DevicePtr dy, Handles.ConvDesc conv, int algo, DevicePtr workspace,
                                        long workspaceBytes, float beta, Handles.TensorDesc dxDesc, DevicePtr dx) {
        context.enter();
        Check.cudnn(JCudnn.cudnnConvolutionBackwardData(handle, scalars.alpha(alpha), filter(wDesc), ptr(w), tensor(dyDesc),
                ptr(dy), conv(conv), algo, ptr(workspace), workspaceBytes, scalars.beta(beta), tensor(dxDesc), ptr(dx)),
                "cudnnConvolutionBackwardData", "algo " + algo + " dy " + dyDesc + " " + wDesc + " workspace "
                        + workspaceBytes);
    }

    @Override
    public void convolutionBackwardFilter(float alpha, Handles.TensorDesc xDesc, DevicePtr x,
                                          Handles.TensorDesc dyDesc, DevicePtr dy, Handles.ConvDesc conv, int algo,
                                          DevicePtr workspace, long workspaceBytes, float beta,
                                          Handles.FilterDesc dwDesc, DevicePtr dw) {
        context.enter();
        Check.cudnn(JCudnn.cudnnConvolutionBackwardFilter(handle, scalars.alpha(alpha), tensor(xDesc), ptr(x), tensor(dyDesc),
                ptr(dy), conv(conv), algo, ptr(workspace), workspaceBytes, scalars.beta(beta), filter(dwDesc), ptr(dw)),
                "cudnnConvolutionBackwardFilter", "algo " + algo + " x " + xDesc + " dw " + dwDesc + " workspace "
                        + workspaceBytes);
    }

    @Override
    public void convolutionBackwardBias(float alpha, Handles.TensorDesc dyDesc, DevicePtr dy, float beta,
                                        Handles.TensorDesc dbDesc, DevicePtr db) {
        context.enter();
        Check.cudnn(JCudnn.cudnnConvolutionBackwardBias(handle, scalars.alpha(alpha), tensor(dyDesc), ptr(dy), scalars.beta(beta),
                tensor(dbDesc), ptr(db)), "cudnnConvolutionBackwardBias", "dy " + dyDesc + " db " + dbDesc);
    }

    @Override
    public void addTensor(float alpha, Handles.TensorDesc bDesc, DevicePtr b, float beta, Handles.TensorDesc yDesc,
                          DevicePtr y) {
        context.enter();
        Check.cudnn(JCudnn.cudnnAddTensor(handle, scalars.alpha(alpha), tensor(bDesc), ptr(b), scalars.beta(beta), tensor(yDesc),
                ptr(y)), "cudnnAddTensor", bDesc + " onto " + yDesc);
    }

    @Override
    public void poolingForward(Handles.PoolDesc pool, float alpha, Handles.TensorDesc xDesc, DevicePtr x, float beta,
                               Handles.TensorDesc yDesc, DevicePtr y) {
        context.enter();
        Check.cudnn(JCudnn.cudnnPoolingForward(handle, JCudaHandles.as(JCudaHandles.PoolDesc.class, pool).cu(),
                scalars.alpha(alpha), tensor(xDesc), ptr(x), scalars.beta(beta), tensor(yDesc), ptr(y)), "cudnnPoolingForward",
                pool + " " + xDesc + " -> " + yDesc);
    }

    @Override
    public void poolingBackward(Handles.PoolDesc pool, float alpha, Handles.TensorDesc yDesc, DevicePtr y,
                                Handles.TensorDesc dyDesc, DevicePtr dy, Handles.TensorDesc xDesc, DevicePtr x,
                                float beta, Handles.TensorDesc dxDesc, DevicePtr dx) {
        context.enter();
        Check.cudnn(JCudnn.cudnnPoolingBackward(handle, JCudaHandles.as(JCudaHandles.PoolDesc.class, pool).cu(),
                scalars.alpha(alpha), tensor(yDesc), ptr(y), tensor(dyDesc), ptr(dy), tensor(xDesc), ptr(x), scalars.beta(beta),
                tensor(dxDesc), ptr(dx)), "cudnnPoolingBackward", pool + " " + xDesc + " <- " + yDesc);
    }

    @Override
    public void lrnForward(Handles.LrnDesc lrn, float alpha, Handles.TensorDesc xDesc, DevicePtr x, float beta,
                           Handles.TensorDesc yDesc, DevicePtr y) {
        context.enter();
        Check.cudnn(JCudnn.cudnnLRNCrossChannelForward(handle, JCudaHandles.as(JCudaHandles.LrnDesc.class, lrn).cu(),
                cudnnLRNMode.CUDNN_LRN_CROSS_CHANNEL_DIM1, scalars.alpha(alpha), tensor(xDesc), ptr(x), scalars.beta(beta),
                tensor(yDesc), ptr(y)), "cudnnLRNCrossChannelForward", lrn + " " + xDesc);
    }

    @Override
    public void lrnBackward(Handles.LrnDesc lrn, float alpha, Handles.TensorDesc yDesc, DevicePtr y,
                            Handles.TensorDesc dyDesc, DevicePtr dy, Handles.TensorDesc xDesc, DevicePtr x, float beta,
                            Handles.TensorDesc dxDesc, DevicePtr dx) {
        context.enter();
        Check.cudnn(JCudnn.cudnnLRNCrossChannelBackward(handle, JCudaHandles.as(JCudaHandles.LrnDesc.class, lrn).cu(),
                cudnnLRNMode.CUDNN_LRN_CROSS_CHANNEL_DIM1, scalars.alpha(alpha), tensor(yDesc), ptr(y), tensor(dyDesc),
                ptr(dy), tensor(xDesc), ptr(x), scalars.beta(beta), tensor(dxDesc), ptr(dx)),
                "cudnnLRNCrossChannelBackward", lrn + " " + xDesc);
    }

    /** cudnnGetVersion: 9xxyy for cuDNN 9 (major * 10000 + minor * 100 + patch). */
    long version() {
        return JCudnn.cudnnGetVersion();
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            context.enter();
            Check.cudnn(JCudnn.cudnnDestroy(handle), "cudnnDestroy", null);
        }
    }

    private static AlgoPerf perf(int algo, int status, float time, long memory, int determinism, int mathType) {
        return new AlgoPerf(algo, status, time, memory, determinism == cudnnDeterminism.CUDNN_DETERMINISTIC, mathType);
    }

    private static Pointer ptr(DevicePtr p) {
        return JCudaPointers.of(p == null ? DevicePtr.NULL : p);
    }

    private static cudnnTensorDescriptor tensor(Handles.TensorDesc d) {
        return JCudaHandles.as(JCudaHandles.TensorDesc.class, d).cu();
    }

    private static cudnnFilterDescriptor filter(Handles.FilterDesc d) {
        return JCudaHandles.as(JCudaHandles.FilterDesc.class, d).cu();
    }

    private static cudnnConvolutionDescriptor conv(Handles.ConvDesc d) {
        return JCudaHandles.as(JCudaHandles.ConvDesc.class, d).cu();
    }
}
