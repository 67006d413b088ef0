package org.alexnetcuda.engine.cuda;

import org.alexnetcuda.device.Blas;
import org.alexnetcuda.device.Device;
import org.alexnetcuda.device.DevicePtr;
import org.alexnetcuda.device.Handles.Stream;
import org.alexnetcuda.engine.Precision;
import org.alexnetcuda.kernels.AdamKernels;
import org.alexnetcuda.kernels.DataKernels;
import org.alexnetcuda.kernels.DropoutKernels;
import org.alexnetcuda.kernels.LinearKernels;
import org.alexnetcuda.kernels.ReluKernels;
import org.alexnetcuda.kernels.SoftmaxCrossEntropyKernels;

/**
 * What every GPU layer shares: the device, the one stream all work goes to, our kernel launchers, and the pool
 * pointers fixed once the pool is allocated (parameters, gradients, the cuDNN workspace, Adam's device state whose
 * step counter also drives the dropout masks).
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
    final boolean deterministic;
    final boolean tf32;

    DevicePtr params;
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
        this.deterministic = deterministic;
        this.tf32 = precision == Precision.TF32;
        device.blas().setStream(stream);
        device.blas().setMathMode(tf32 ? Blas.MathMode.TF32 : Blas.MathMode.DEFAULT);
        device.dnn().setStream(stream);
    }

    /** Pointer to float element {@code offset} of the parameter block. */
    DevicePtr param(int offset) {
        return params.plusFloats(offset);
    }

    /** Pointer to float element {@code offset} of the gradient block. */
    DevicePtr grad(int offset) {
        return grads.plusFloats(offset);
    }
}
