/**
 * The reference math of each layer, on host tensors and float arrays: {@link org.alexnetcuda.math.Gemm},
 * {@link org.alexnetcuda.math.Conv2dMath}, {@link org.alexnetcuda.math.MaxPoolMath},
 * {@link org.alexnetcuda.math.LrnMath}, {@link org.alexnetcuda.math.ReluMath}, {@link org.alexnetcuda.math.DropoutMath}
 * with {@link org.alexnetcuda.math.CounterRng}, {@link org.alexnetcuda.math.SoftmaxCrossEntropy} and
 * {@link org.alexnetcuda.math.Adam}, batch-parallel through {@link org.alexnetcuda.math.Parallel}. One definition of
 * every formula, which the CPU engine's layers (engine.cpu), the device simulator's cuBLAS and cuDNN (device.sim)
 * and the Java references of our CUDA kernels (kernels.reference) all run; it knows none of them, only
 * {@link org.alexnetcuda.tensor}.
 */
package org.alexnetcuda.math;
