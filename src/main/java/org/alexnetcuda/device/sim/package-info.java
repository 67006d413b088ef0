/**
 * The device API simulated on the CPU ({@link org.alexnetcuda.device.sim.SimDevice}): Java memory at device
 * addresses with range, use-after-free and capacity checks ({@link org.alexnetcuda.device.sim.SimMemory}), stream
 * order, events and graph capture/replay ({@link org.alexnetcuda.device.sim.SimStreams}), cuBLAS
 * ({@link org.alexnetcuda.device.sim.SimBlas}) and cuDNN ({@link org.alexnetcuda.device.sim.SimDnn}) on the CPU
 * engine's math (org.alexnetcuda.math), and our kernels as their Java references (kernels.reference), with
 * per-function call counts, so that CI runs the GPU engine's whole training path.
 */
package org.alexnetcuda.device.sim;
