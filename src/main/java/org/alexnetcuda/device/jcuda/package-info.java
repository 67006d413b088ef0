/**
 * The production {@link org.alexnetcuda.device.Device}: JCuda's driver API, JCublas2 and JCudnn.
 *
 * <p>The engine gets one with {@code JCudaDevice.open(0)} and closes it when done. {@code open} first makes
 * the CUDA libraries loadable ({@link org.alexnetcuda.device.host.CudaLibraries#prepare}: on a host with only
 * CUDA 13 libraries it loads the bundled libcublas.so.12 forwarder), then checks the host
 * ({@link org.alexnetcuda.device.host.HostCheck}) and throws a one-line
 * {@link org.alexnetcuda.device.host.HostProblemException} when something is missing; then it retains the
 * GPU's primary context and creates the cuBLAS and cuDNN handles. Every call makes the primary context current
 * on the calling thread if it is not yet, and checks its status: a failure is a
 * {@link org.alexnetcuda.device.DeviceException} naming the call, the status (cuDNN 9's numbering) and the
 * arguments that matter.
 *
 * <p>JCuda code outside this package (a kernel launcher) reaches the JCuda objects through
 * {@link org.alexnetcuda.device.jcuda.JCudaPointers#of} (DevicePtr to CUdeviceptr) and
 * {@link org.alexnetcuda.device.jcuda.JCudaHandles#cu} (stream handle to CUstream).
 */
package org.alexnetcuda.device.jcuda;
