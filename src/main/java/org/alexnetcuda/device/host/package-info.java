/**
 * The host side of the GPU engine: finding the CUDA libraries ({@link org.alexnetcuda.device.host.LibrarySearch}),
 * loading them before JCuda's native libraries need them, with the CUDA 13 forwarder route
 * ({@link org.alexnetcuda.device.host.CudaLibraries}), saying in one line what is missing
 * ({@link org.alexnetcuda.device.host.HostCheck}) and what the {@code device} command reports
 * ({@link org.alexnetcuda.device.host.DeviceReport}). See docs/cuda13-compat.md.
 */
package org.alexnetcuda.device.host;
