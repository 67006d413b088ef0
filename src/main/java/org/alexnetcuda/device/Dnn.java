package org.alexnetcuda.device;

import java.util.List;

import org.alexnetcuda.device.Handles.ConvDesc;
import org.alexnetcuda.device.Handles.FilterDesc;
import org.alexnetcuda.device.Handles.LrnDesc;
import org.alexnetcuda.device.Handles.PoolDesc;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * The cuDNN calls of convolution, pooling and LRN, each a one-to-one image of the cuDNN function named in its
 * comment. Tensors are NCHW, fully packed, of the element type their descriptor names (FLOAT unless made with a
 * {@link StorageFormat}: HALF or BFLOAT16 for mixed precision); every call blends y = alpha * result + beta * y,
 * computed in FP32; alpha and beta are host floats (cuDNN takes float scaling factors for HALF and BFLOAT16 tensors
 * too). A workspace smaller than the size asked for is CUDNN_STATUS_BAD_PARAM.
 */
public interface Dnn {

    /**
     * One entry of cudnnGetConvolution*Algorithm_v7 / cudnnFindConvolution*Algorithm, fastest first, with the math
     * type (cudnnMathType_t) cuDNN timed it in, or {@link #MATH_NOT_REPORTED} where the binding does not hand it back.
     */
    record AlgoPerf(int algo, int status, float timeMillis, long memory, boolean deterministic, int mathType) {
        /** The math type of an entry whose binding did not report it (JCudnn 12.6: forward and backward data). */
        public static final int MATH_NOT_REPORTED = -1;

        public AlgoPerf(int algo, int status, float timeMillis, long memory, boolean deterministic) {
            this(algo, status, timeMillis, memory, deterministic, MATH_NOT_REPORTED);
        }

        public boolean ok() {
            return status == 0;
        }
    }

    /** cuDNN's name of a storage format's cudnnDataType_t: CUDNN_DATA_FLOAT, CUDNN_DATA_HALF, CUDNN_DATA_BFLOAT16. */
    static String dataTypeName(StorageFormat type) {
        return switch (type) {
            case F32 -> "CUDNN_DATA_FLOAT";
            case F16 -> "CUDNN_DATA_HALF";
            case BF16 -> "CUDNN_DATA_BFLOAT16";
        };
    }

    /** The convolution passes, each with its own algorithm enumeration. */
    enum ConvPass { FORWARD, BACKWARD_DATA, BACKWARD_FILTER }

    /** cudnnSetStream. */
    void setStream(Stream stream);

    /** cudnnCreateTensorDescriptor + cudnnSetTensor4dDescriptor(NCHW, FLOAT). */
    default TensorDesc tensor(int n, int c, int h, int w) {
        return tensor(n, c, h, w, StorageFormat.F32);
    }

    /** cudnnCreateTensorDescriptor + cudnnSetTensor4dDescriptor(NCHW, FLOAT, HALF or BFLOAT16). */
    TensorDesc tensor(int n, int c, int h, int w, StorageFormat type);

    /** cudnnCreateFilterDescriptor + cudnnSetFilter4dDescriptor(FLOAT, NCHW): k output, c input channels. */
    default FilterDesc filter(int k, int c, int h, int w) {
        return filter(k, c, h, w, StorageFormat.F32);
    }

    /** cudnnCreateFilterDescriptor + cudnnSetFilter4dDescriptor(FLOAT, HALF or BFLOAT16; NCHW). */
    FilterDesc filter(int k, int c, int h, int w, StorageFormat type);

    /**
     * cudnnCreateConvolutionDescriptor + cudnnSetConvolution2dDescriptor(pad, stride, dilation 1,
     * CROSS_CORRELATION, compute type FLOAT) + cudnnSetConvolutionMathType: CUDNN_TENSOR_OP_MATH when
     * {@code tensorOps} (TF32 on FLOAT tensors, FP16/BF16 tensor cores on 16-bit ones), CUDNN_FMA_MATH otherwise.
     * The compute type is FLOAT for every tensor type (cuDNN's PSEUDO_HALF and PSEUDO_BFLOAT16 configurations,
     * as PyTorch's), so products accumulate in FP32. The convolution's tensors and filter must share one type.
     */
    ConvDesc convolution(int padH, int padW, int strideH, int strideW, boolean tensorOps);

    /**
     * cudnnCreatePoolingDescriptor + cudnnSetPooling2dDescriptor(mode, PROPAGATE_NAN, window, pad, stride): a NaN in
     * a window makes its output NaN, as in PyTorch's max pooling. The mode is CUDNN_POOLING_MAX_DETERMINISTIC when
     * {@code deterministic} (cuDNN's backward of CUDNN_POOLING_MAX uses atomics where windows overlap, and the cuDNN
     * developer guide lists it among the routines that are not reproducible), CUDNN_POOLING_MAX otherwise.
     */
    PoolDesc maxPooling(int windowH, int windowW, int padH, int padW, int strideH, int strideW, boolean deterministic);

    /** cudnnCreateLRNDescriptor + cudnnSetLRNDescriptor(n, alpha, beta, k). */
    LrnDesc lrn(int n, double alpha, double beta, double k);

    /** cudnnDestroy{Tensor,Filter,Convolution,Pooling,LRN}Descriptor. */
    void destroy(Object descriptor);

    /** cudnnGetConvolution2dForwardOutputDim: {n, c, h, w}. */
    int[] convolutionOutputDim(ConvDesc conv, TensorDesc x, FilterDesc w);

    /** cudnnGetPooling2dForwardOutputDim: {n, c, h, w}. */
    int[] poolingOutputDim(PoolDesc pool, TensorDesc x);

    /**
     * cudnnGetConvolution{Forward,BackwardData,BackwardFilter}Algorithm_v7: the algorithms for this shape,
     * fastest first by cuDNN's heuristics, with the workspace each needs.
     */
    List<AlgoPerf> convolutionAlgorithms(ConvPass pass, TensorDesc x, FilterDesc w, ConvDesc conv, TensorDesc y);

    /**
     * cudnnFindConvolution{Forward,BackwardData,BackwardFilter}Algorithm: the algorithms ranked by measured time
     * (cuDNN runs each on scratch buffers it allocates itself). Devices that cannot measure (the simulator) return
     * {@link #convolutionAlgorithms}'s heuristic ranking.
     */
    default List<AlgoPerf> findConvolutionAlgorithms(ConvPass pass, TensorDesc x, FilterDesc w, ConvDesc conv, TensorDesc y) {
        return convolutionAlgorithms(pass, x, w, conv, y);
    }

    /** cudnnGetConvolution{Forward,BackwardData,BackwardFilter}WorkspaceSize. */
    long convolutionWorkspaceSize(ConvPass pass, TensorDesc x, FilterDesc w, ConvDesc conv, TensorDesc y, int algo);

    /** cudnnConvolutionForward: y = alpha * conv(x, w) + beta * y. */
    void convolutionForward(float alpha, TensorDesc xDesc, DevicePtr x, FilterDesc wDesc, DevicePtr w, ConvDesc conv,
                            int algo, DevicePtr workspace, long workspaceBytes, float beta, TensorDesc yDesc, DevicePtr y);

    /** cudnnConvolutionBackwardData: dx = alpha * conv^T(dy, w) + beta * dx. */
    void convolutionBackwardData(float alpha, FilterDesc wDesc, DevicePtr w, TensorDesc dyDesc, DevicePtr dy,
                                 ConvDesc conv, int algo, DevicePtr workspace, long workspaceBytes, float beta,
                                 TensorDesc dxDesc, DevicePtr dx);

    /** cudnnConvolutionBackwardFilter: dw = alpha * corr(x, dy) + beta * dw. */
    void convolutionBackwardFilter(float alpha, TensorDesc xDesc, DevicePtr x, TensorDesc dyDesc, DevicePtr dy,
                                   ConvDesc conv, int algo, DevicePtr workspace, long workspaceBytes, float beta,
                                   FilterDesc dwDesc, DevicePtr dw);

    /** cudnnConvolutionBackwardBias: db = alpha * sum over n, h, w of dy + beta * db (db is 1 x C x 1 x 1). */
    void convolutionBackwardBias(float alpha, TensorDesc dyDesc, DevicePtr dy, float beta, TensorDesc dbDesc, DevicePtr db);

    /** cudnnAddTensor: y = alpha * b + beta * y, b broadcast (1 x C x 1 x 1 onto N x C x H x W). */
    void addTensor(float alpha, TensorDesc bDesc, DevicePtr b, float beta, TensorDesc yDesc, DevicePtr y);

    /** cudnnPoolingForward. */
    void poolingForward(PoolDesc pool, float alpha, TensorDesc xDesc, DevicePtr x, float beta, TensorDesc yDesc, DevicePtr y);

    /** cudnnPoolingBackward: needs the forward's input and output. */
    void poolingBackward(PoolDesc pool, float alpha, TensorDesc yDesc, DevicePtr y, TensorDesc dyDesc, DevicePtr dy,
                         TensorDesc xDesc, DevicePtr x, float beta, TensorDesc dxDesc, DevicePtr dx);

    /** cudnnLRNCrossChannelForward (CUDNN_LRN_CROSS_CHANNEL_DIM1). */
    void lrnForward(LrnDesc lrn, float alpha, TensorDesc xDesc, DevicePtr x, float beta, TensorDesc yDesc, DevicePtr y);

    /** cudnnLRNCrossChannelBackward. */
    void lrnBackward(LrnDesc lrn, float alpha, TensorDesc yDesc, DevicePtr y, TensorDesc dyDesc, DevicePtr dy,
                     TensorDesc xDesc, DevicePtr x, float beta, TensorDesc dxDesc, DevicePtr dx);
}
