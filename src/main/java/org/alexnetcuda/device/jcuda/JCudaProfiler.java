package org.alexnetcuda.device.jcuda;

import org.alexnetcuda.device.Profiler;
import org.alexnetcuda.profile.Nvtx;

import jcuda.driver.JCudaDriver;

/**
 * NVTX through our JNI library ({@link Nvtx}), enabled when this profiler is made (that is, when profiling was
 * asked for), and the collection window through the driver's cuProfilerStart / cuProfilerStop in the device's
 * context. Without a profiler attached, all four calls do nothing.
 */
final class JCudaProfiler implements Profiler {
    private final JCudaContext context;

    JCudaProfiler(JCudaContext context) {
        this.context = context;
        Nvtx.enable();
    }

    @Override
    public void push(String range) {
        Nvtx.push(range);
    }

    @Override
    public void pop() {
        Nvtx.pop();
    }

    @Override
    public void start() {
        context.enter();
        Check.cu(JCudaDriver.cuProfilerStart(), "cuProfilerStart", null);
    }

    @Override
    public void stop() {
        context.enter();
        Check.cu(JCudaDriver.cuProfilerStop(), "cuProfilerStop", null);
    }

    @Override
    public String describe() {
        return "NVTX " + Nvtx.status() + "; cuProfilerStart/Stop around the profiled steps";
    }
}
