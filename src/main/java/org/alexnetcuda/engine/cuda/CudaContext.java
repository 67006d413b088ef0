package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.Blas;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.kernels.AdamKernels;
import org.alexnetcuda.kernels.DataKernels;
import org.alexnetcuda.kernels.DropoutKernels;
import org.alexnetcuda.kernels.LinearKernels;
import org.alexnetcuda.kernels.MixedPrecisionKernels;
import org.alexnetcuda.kernels.ReluKernels;
import org.alexnetcuda.kernels.SoftmaxCrossEntropyKernels;
import org.alexnetcuda.tensor.Precision;
import org.alexnetcuda.tensor.StorageFormat;

/**
 * What every GPU layer shares: the device, the one stream all work goes to, our kernel launchers, the precision,
 * and the pool pointers fixed once the pool is allocated (the weights the layers read, gradients, the cuDNN
 * workspace, Adam's device state whose step counter also drives the dropout masks).
 *
 * <p>Under mixed precision ({@link #act} 16-bit) the layers read a 16-bit copy of the FP32 master weights and write
 * 16-bit gradients; {@link #param} and {@link #grad} point into those, so a layer is the same code in every mode.
 */
public final class CudaContext {
    final Device device;
    final Stream stream;
    final ReluKernels relu;
    final DropoutKernels dropout;
    final LinearKernels linear;
    final SoftmaxCrossEntropyKernels loss;
    final AdamKernels adam;
    final DataKernels data;
    final MixedPrecisionKernels mixed;
    final boolean deterministic;
    /** Tensor cores in convolutions (cuDNN's CUDNN_TENSOR_OP_MATH): tf32, fp16, bf16. */
    final boolean tensorOps;
    /** How activations, their gradients, the layers' weights and the weight gradients are stored. */
    final StorageFormat act;

    /** The weights the layers read: the FP32 parameters, or their 16-bit copy under mixed precision. */
    DevicePtr params;
    /** The gradient block, of {@link #act} elements. */
    DevicePtr grads;
    DevicePtr workspace;
    long workspaceBytes;
    DevicePtr adamState;

    /**
     * Binds cuBLAS and cuDNN to the engine's stream and sets cuBLAS's math mode from {@code precision}, always
     * explicitly: the handle is the device's and may have been left in another mode by an earlier engine. The
     * convolutions take theirs from {@link #tf32} when their descriptors are made.
     */
    CudaContext(Device device, boolean deterministic, Precision precision) {
        this.device = device;
        this.stream = device.streams().createStream();
        this.relu = new ReluKernels(device.kernels());
        this.dropout = new DropoutKernels(device.kernels());
        this.linear = new LinearKernels(device.kernels());
        this.loss = new SoftmaxCrossEntropyKernels(device.kernels());
        this.adam = new AdamKernels(device.kernels());
        this.data = new DataKernels(device.kernels());
        this.mixed = new MixedPrecisionKernels(device.kernels());
        this.deterministic = deterministic;
        this.tensorOps = precision.tensorOps();
        this.act = precision.storage();
        device.blas().setStream(stream);
        // TF32 must be asked for; 16-bit GEMMs (cublasGemmEx) use tensor cores under the default math mode.
        device.blas().setMathMode(precision == Precision.TF32 ? Blas.MathMode.TF32 : Blas.MathMode.DEFAULT);
        device.dnn().setStream(stream);
    }

    /**
     * The same device, stream, kernels and settings with FP32 storage, for layers that run in FP32 under mixed
     * precision ({@link Fp32Layer}); its pointers (the FP32 master weights, an FP32 gradient scratch) are bound by
     * the engine once the pool is allocated.
     */
    CudaContext fp32() {
        return new CudaContext(this, StorageFormat.F32);
    }

    private CudaContext(CudaContext base, StorageFormat act) {
        this.device = base.device;
        this.stream = base.stream;
        this.relu = base.relu;
        this.dropout = base.dropout;
        this.linear = base.linear;
        this.loss = base.loss;
        this.adam = base.adam;
        this.data = base.data;
        this.mixed = base.mixed;
        this.deterministic = base.deterministic;
        this.tensorOps = base.tensorOps;
        this.act = act;
    }

    /** Pointer to element {@code offset} of the weights the layers read. */
    DevicePtr param(int offset) {
        return params.plus((long) act.bytes() * offset);
    }

    /** Pointer to element {@code offset} of the gradient block. */
    DevicePtr grad(int offset) {
        return grads.plus((long) act.bytes() * offset);
    }

    /** Bytes of n activation elements. */
    long actBytes(long n) {
        return act.bytes() * n;
    }
}
