/**
 * The Java half of the host stand-in (cuda/standin): libcuda.so.1, libcublas.so.12/13 and libcudnn.so.9 built
 * for a host without a GPU, whose C functions decode their arguments and call {@link
 * org.alexnetcuda.device.standin.StandinBridge#call} through JNI. Here those calls run on one
 * {@link org.alexnetcuda.device.sim.SimDevice}, so the simulator stays the single statement of what the CUDA
 * libraries compute and refuse, now checked on the C values that JCuda's JNI libraries actually pass.
 *
 * <p>Nothing here runs on a GPU, and nothing run on it is a GPU result: it proves the JCuda layer (JNI
 * marshalling, argument order and values, descriptors, launch parameters, capture legality, library discovery),
 * not the real libraries' numerics, algorithm choices or speed.
 */
package org.alexnetcuda.device.standin;
