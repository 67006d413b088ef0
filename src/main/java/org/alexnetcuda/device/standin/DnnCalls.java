package org.alexnetcuda.device.standin;

import java.util.List;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.Dnn.AlgoPerf;
import org.alexnetcuda.device.Dnn.ConvPass;
import org.alexnetcuda.device.Handles.ConvDesc;
import org.alexnetcuda.device.Handles.FilterDesc;
import org.alexnetcuda.device.Handles.LrnDesc;
import org.alexnetcuda.device.Handles.PoolDesc;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.device.Handles.TensorDesc;
import org.alexnetcuda.device.sim.SimDnn;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * The cuDNN functions of the stand-in's libcudnn.so.9 (cuda/standin/cudnn.c), on the simulator's cuDNN. A
 * descriptor is created empty and gets its simulator descriptor from its Set call (a convolution's from
 * cudnnSetConvolutionMathType, which completes it); using an empty one is CUDNN_STATUS_BAD_PARAM, as is a
 * descriptor of the wrong kind (a filter where a tensor belongs).
 *
 * <p>Enumerations decoded here (cudnn_graph.h, cudnn_ops.h, cudnn_cnn.h of cuDNN 9): cudnnTensorFormat_t NCHW 0;
 * cudnnDataType_t FLOAT 0, HALF 2, BFLOAT16 9; cudnnConvolutionMode_t CROSS_CORRELATION 1; cudnnMathType_t
 * DEFAULT 0, TENSOR_OP 1, FMA 3; cudnnPoolingMode_t MAX 0, MAX_DETERMINISTIC 3; cudnnNanPropagation_t
 * PROPAGATE_NAN 1; cudnnLRNMode_t CROSS_CHANNEL_DIM1 0. Anything else the program does not use is
 * CUDNN_STATUS_NOT_SUPPORTED.
 */
final class DnnCalls {
    private static final String BAD_PARAM = "CUDNN_STATUS_BAD_PARAM";
    private static final String NOT_SUPPORTED = "CUDNN_STATUS_NOT_SUPPORTED";
    private static final String NOT_INITIALIZED = "CUDNN_STATUS_NOT_INITIALIZED";
    /** cuDNN 9's CUDNN_CONVOLUTION_{FWD,BWD_DATA,BWD_FILTER}_ALGO_COUNT. */
    private static final int[] ALGO_COUNT = {8, 6, 7};

    private final Standin standin;
    private long live;

    private static final class Handle {
    }

    /** A descriptor between its Create and its Set call. */
    private record Empty(String kind) {
    }

    /** A convolution descriptor whose math type is not set yet. */
    private record ConvGeometry(int padH, int padW, int strideH, int strideW) {
    }

    DnnCalls(Standin standin) {
        this.standin = standin;
    }

    void call(String f, Words a) {
        SimDnn dnn = standin.device(f, NOT_INITIALIZED).dnn();
        HandleTable h = standin.handles();
        if (f.startsWith("cudnnCreate") && f.endsWith("Descriptor")) {
            a.set(0, h.add(new Empty(f.substring("cudnnCreate".length(), f.length() - "Descriptor".length()))));
            return;
        }
        if (f.startsWith("cudnnDestroy") && f.endsWith("Descriptor")) {
            Object d = h.remove(f, a.word(0), "descriptor", BAD_PARAM);
            if (!(d instanceof Empty) && !(d instanceof ConvGeometry)) {
                dnn.destroy(d);
            }
            return;
        }
        switch (f) {
            case "cudnnCreate" -> {
                if (live != 0) {
                    throw new DeviceException(f, NOT_SUPPORTED, "the host stand-in serves one cuDNN handle at a time");
                }
                live = h.add(new Handle());
                a.set(0, live);
            }
            case "cudnnDestroy" -> {
                handle(f, a.word(0));
                h.remove(f, live, "cuDNN handle", BAD_PARAM);
                live = 0;
            }
            case "cudnnSetStream" -> {
                handle(f, a.word(0));
                dnn.setStream(a.word(1) == 0 ? null : h.get(f, a.word(1), Stream.class, "stream", BAD_PARAM));
            }
            case "cudnnSetTensor4dDescriptor" -> {
                empty(f, a.word(0), "Tensor");
                format(f, a.i(1));
                h.replace(a.word(0), dnn.tensor(a.i(3), a.i(4), a.i(5), a.i(6), type(f, a.i(2))));
            }
            case "cudnnSetFilter4dDescriptor" -> {
                empty(f, a.word(0), "Filter");
                format(f, a.i(2));
                h.replace(a.word(0), dnn.filter(a.i(3), a.i(4), a.i(5), a.i(6), type(f, a.i(1))));
            }
            case "cudnnSetConvolution2dDescriptor" -> {
                empty(f, a.word(0), "Convolution");
                if (a.i(5) != 1 || a.i(6) != 1) {
                    throw new DeviceException(f, NOT_SUPPORTED, "dilation " + a.i(5) + "x" + a.i(6));
                }
                if (a.i(7) != 1) {
                    throw new DeviceException(f, NOT_SUPPORTED, "mode " + a.i(7) + " (only CUDNN_CROSS_CORRELATION)");
                }
                if (a.i(8) != 0) {
                    throw new DeviceException(f, NOT_SUPPORTED, "compute type " + a.i(8) + " (only CUDNN_DATA_FLOAT)");
                }
                h.replace(a.word(0), new ConvGeometry(a.i(1), a.i(2), a.i(3), a.i(4)));
            }
            case "cudnnSetConvolutionMathType" -> {
                ConvGeometry g = h.get(f, a.word(0), ConvGeometry.class, "convolution descriptor", BAD_PARAM);
                boolean tensorOps = switch (a.i(1)) {
                    case 1 -> true;
                    case 0, 3 -> false;
                    default -> throw new DeviceException(f, NOT_SUPPORTED, "math type " + a.i(1));
                };
                h.replace(a.word(0), dnn.convolution(g.padH(), g.padW(), g.strideH(), g.strideW(), tensorOps));
            }
            case "cudnnSetPooling2dDescriptor" -> {
                empty(f, a.word(0), "Pooling");
                if (a.i(1) != 0 && a.i(1) != 3) {
                    throw new DeviceException(f, NOT_SUPPORTED, "pooling mode " + a.i(1) + " (max pooling only)");
                }
                if (a.i(2) != 1) {
                    throw new DeviceException(f, NOT_SUPPORTED, "NaN option " + a.i(2) + " (CUDNN_PROPAGATE_NAN only)");
                }
                h.replace(a.word(0), dnn.maxPooling(a.i(3), a.i(4), a.i(5), a.i(6), a.i(7), a.i(8), a.i(1) == 3));
            }
            case "cudnnSetLRNDescriptor" -> {
                empty(f, a.word(0), "LRN");
                h.replace(a.word(0), dnn.lrn(a.i(1), a.d(2), a.d(3), a.d(4)));
            }
            case "cudnnGetConvolution2dForwardOutputDim" -> dims(a, dnn.convolutionOutputDim(conv(f, a.word(4)),
                    tensor(f, a.word(5)), filter(f, a.word(6))));
            case "cudnnGetPooling2dForwardOutputDim" -> dims(a, dnn.poolingOutputDim(
                    h.get(f, a.word(4), PoolDesc.class, "pooling descriptor", BAD_PARAM), tensor(f, a.word(5))));
            case "cudnnGetConvolutionForwardAlgorithmMaxCount" -> maxCount(f, a, ConvPass.FORWARD);
            case "cudnnGetConvolutionBackwardDataAlgorithmMaxCount" -> maxCount(f, a, ConvPass.BACKWARD_DATA);
            case "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount" -> maxCount(f, a, ConvPass.BACKWARD_FILTER);
            case "cudnnGetConvolutionForwardAlgorithm_v7" -> algorithms(f, a, dnn, ConvPass.FORWARD, false);
            case "cudnnGetConvolutionBackwardDataAlgorithm_v7" -> algorithms(f, a, dnn, ConvPass.BACKWARD_DATA, false);
            case "cudnnGetConvolutionBackwardFilterAlgorithm_v7" ->
                    algorithms(f, a, dnn, ConvPass.BACKWARD_FILTER, false);
            case "cudnnFindConvolutionForwardAlgorithm" -> algorithms(f, a, dnn, ConvPass.FORWARD, true);
            case "cudnnFindConvolutionBackwardDataAlgorithm" -> algorithms(f, a, dnn, ConvPass.BACKWARD_DATA, true);
            case "cudnnFindConvolutionBackwardFilterAlgorithm" -> algorithms(f, a, dnn, ConvPass.BACKWARD_FILTER, true);
            case "cudnnGetConvolutionForwardWorkspaceSize" -> workspace(f, a, dnn, ConvPass.FORWARD);
            case "cudnnGetConvolutionBackwardDataWorkspaceSize" -> workspace(f, a, dnn, ConvPass.BACKWARD_DATA);
            case "cudnnGetConvolutionBackwardFilterWorkspaceSize" -> workspace(f, a, dnn, ConvPass.BACKWARD_FILTER);
            default -> compute(f, a, dnn);
        }
    }

    /** The calls that do work: (handle, alpha, ...) in cuDNN's argument order. */
    private void compute(String f, Words a, SimDnn dnn) {
        handle(f, a.word(0));
        switch (f) {
            case "cudnnConvolutionForward" -> dnn.convolutionForward(a.f(1), tensor(f, a.word(2)), a.ptr(3),
                    filter(f, a.word(4)), a.ptr(5), conv(f, a.word(6)), a.i(7), a.ptr(8), a.word(9), a.f(10),
                    tensor(f, a.word(11)), a.ptr(12));
            case "cudnnConvolutionBackwardData" -> dnn.convolutionBackwardData(a.f(1), filter(f, a.word(2)), a.ptr(3),
                    tensor(f, a.word(4)), a.ptr(5), conv(f, a.word(6)), a.i(7), a.ptr(8), a.word(9), a.f(10),
                    tensor(f, a.word(11)), a.ptr(12));
            case "cudnnConvolutionBackwardFilter" -> dnn.convolutionBackwardFilter(a.f(1), tensor(f, a.word(2)),
                    a.ptr(3), tensor(f, a.word(4)), a.ptr(5), conv(f, a.word(6)), a.i(7), a.ptr(8), a.word(9), a.f(10),
                    filter(f, a.word(11)), a.ptr(12));
            case "cudnnConvolutionBackwardBias" -> dnn.convolutionBackwardBias(a.f(1), tensor(f, a.word(2)), a.ptr(3),
                    a.f(4), tensor(f, a.word(5)), a.ptr(6));
            case "cudnnAddTensor" -> dnn.addTensor(a.f(1), tensor(f, a.word(2)), a.ptr(3), a.f(4),
                    tensor(f, a.word(5)), a.ptr(6));
            case "cudnnPoolingForward" -> dnn.poolingForward(pool(f, a.word(1)), a.f(2), tensor(f, a.word(3)),
                    a.ptr(4), a.f(5), tensor(f, a.word(6)), a.ptr(7));
            case "cudnnPoolingBackward" -> dnn.poolingBackward(pool(f, a.word(1)), a.f(2), tensor(f, a.word(3)),
                    a.ptr(4), tensor(f, a.word(5)), a.ptr(6), tensor(f, a.word(7)), a.ptr(8), a.f(9),
                    tensor(f, a.word(10)), a.ptr(11));
            case "cudnnLRNCrossChannelForward" -> {
                lrnMode(f, a.i(2));
                dnn.lrnForward(lrn(f, a.word(1)), a.f(3), tensor(f, a.word(4)), a.ptr(5), a.f(6),
                        tensor(f, a.word(7)), a.ptr(8));
            }
            case "cudnnLRNCrossChannelBackward" -> {
                lrnMode(f, a.i(2));
                dnn.lrnBackward(lrn(f, a.word(1)), a.f(3), tensor(f, a.word(4)), a.ptr(5), tensor(f, a.word(6)),
                        a.ptr(7), tensor(f, a.word(8)), a.ptr(9), a.f(10), tensor(f, a.word(11)), a.ptr(12));
            }
            default -> throw new DeviceException(f, NOT_SUPPORTED, "not implemented by the host stand-in");
        }
    }

    /** The algorithm lists: words 1..4 are the pass's descriptors in cuDNN's order, 5 the requested count. */
    private void algorithms(String f, Words a, SimDnn dnn, ConvPass pass, boolean find) {
        handle(f, a.word(0));
        Descriptors d = descriptors(f, a, pass);
        List<AlgoPerf> list = find ? dnn.findConvolutionAlgorithms(pass, d.x, d.w, d.conv, d.y)
                : dnn.convolutionAlgorithms(pass, d.x, d.w, d.conv, d.y);
        int n = Math.min(list.size(), a.i(5));
        a.set(0, n);
        for (int i = 0; i < n; i++) {
            AlgoPerf p = list.get(i);
            int at = 6 + 6 * i;
            a.set(at, p.algo());
            a.set(at + 1, p.status());
            a.setFloat(at + 2, p.timeMillis());
            a.set(at + 3, p.memory());
            a.set(at + 4, p.deterministic() ? 1 : 0);
            a.set(at + 5, p.mathType() == AlgoPerf.MATH_NOT_REPORTED ? 0 : p.mathType());
        }
    }

    private void workspace(String f, Words a, SimDnn dnn, ConvPass pass) {
        Words shifted = new Words(f, new long[] {a.word(1), a.word(2), a.word(3), a.word(4), a.word(5)});
        handle(f, shifted.word(0));
        Descriptors d = descriptors(f, shifted, pass);
        a.set(0, dnn.convolutionWorkspaceSize(pass, d.x, d.w, d.conv, d.y, a.i(6)));
    }

    private record Descriptors(TensorDesc x, FilterDesc w, ConvDesc conv, TensorDesc y) {
    }

    /**
     * The descriptors of a pass from words 1 to 4, in cuDNN's order: forward (x, w, conv, y), backward data
     * (w, dy, conv, dx), backward filter (x, dy, conv, dw); as the simulator takes them, (x, w, conv, y) with x the
     * convolution's input side and y its output side.
     */
    private Descriptors descriptors(String f, Words a, ConvPass pass) {
        return switch (pass) {
            case FORWARD -> new Descriptors(tensor(f, a.word(1)), filter(f, a.word(2)), conv(f, a.word(3)),
                    tensor(f, a.word(4)));
            case BACKWARD_DATA -> new Descriptors(tensor(f, a.word(4)), filter(f, a.word(1)), conv(f, a.word(3)),
                    tensor(f, a.word(2)));
            case BACKWARD_FILTER -> new Descriptors(tensor(f, a.word(1)), filter(f, a.word(4)), conv(f, a.word(3)),
                    tensor(f, a.word(2)));
        };
    }

    private void maxCount(String f, Words a, ConvPass pass) {
        handle(f, a.word(1));
        a.set(0, ALGO_COUNT[pass.ordinal()]);
    }

    private static void dims(Words a, int[] d) {
        for (int i = 0; i < 4; i++) {
            a.set(i, d[i]);
        }
    }

    private void handle(String f, long h) {
        if (h == 0 || h != live) {
            throw new DeviceException(f, BAD_PARAM, "cuDNN handle " + HandleTable.hex(h) + " is not live");
        }
    }

    private void empty(String f, long d, String kind) {
        Empty e = standin.handles().get(f, d, Empty.class, "descriptor (already set, or not a descriptor)",
                BAD_PARAM);
        if (!e.kind().equals(kind)) {
            throw new DeviceException(f, BAD_PARAM, "descriptor " + HandleTable.hex(d) + " was created as a "
                    + e.kind() + " descriptor");
        }
    }

    private TensorDesc tensor(String f, long d) {
        return standin.handles().get(f, d, TensorDesc.class, "tensor descriptor", BAD_PARAM);
    }

    private FilterDesc filter(String f, long d) {
        return standin.handles().get(f, d, FilterDesc.class, "filter descriptor", BAD_PARAM);
    }

    private ConvDesc conv(String f, long d) {
        return standin.handles().get(f, d, ConvDesc.class, "convolution descriptor (with its math type set)",
                BAD_PARAM);
    }

    private PoolDesc pool(String f, long d) {
        return standin.handles().get(f, d, PoolDesc.class, "pooling descriptor", BAD_PARAM);
    }

    private LrnDesc lrn(String f, long d) {
        return standin.handles().get(f, d, LrnDesc.class, "LRN descriptor", BAD_PARAM);
    }

    private static void format(String f, int format) {
        if (format != 0) {
            throw new DeviceException(f, NOT_SUPPORTED, "tensor format " + format + " (CUDNN_TENSOR_NCHW only)");
        }
    }

    private static void lrnMode(String f, int mode) {
        if (mode != 0) {
            throw new DeviceException(f, BAD_PARAM, "LRN mode " + mode + " (CUDNN_LRN_CROSS_CHANNEL_DIM1 is 0)");
        }
    }

    private static StorageFormat type(String f, int type) {
        return switch (type) {
            case 0 -> StorageFormat.F32;
            case 2 -> StorageFormat.F16;
            case 9 -> StorageFormat.BF16;
            default -> throw new DeviceException(f, NOT_SUPPORTED, "data type " + type);
        };
    }

    /** Forgets the handle (its context is gone). */
    void forget() {
        live = 0;
    }
}
