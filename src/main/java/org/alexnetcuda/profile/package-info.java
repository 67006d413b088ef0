/**
 * Profiling support that is not a CUDA call: NVTX through a small JNI library ({@link org.alexnetcuda.profile.Nvtx})
 * and the window of training steps a profiler collects ({@link org.alexnetcuda.profile.ProfileSteps}). The engine
 * reaches both through {@link org.alexnetcuda.device.Profiler}, so it never calls a native library directly.
 */
package org.alexnetcuda.profile;
