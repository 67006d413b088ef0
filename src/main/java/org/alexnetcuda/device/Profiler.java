package org.alexnetcuda.device;

/**
 * What a profiler sees of a run, as the device API: NVTX ranges on the host timeline (nvtxRangePushA,
 * nvtxRangePop) and the collection window (cuProfilerStart, cuProfilerStop), which
 * {@code nsys profile --capture-range=cudaProfilerApi} and {@code ncu --profile-from-start off} wait for.
 *
 * <p>The engine holds {@link #NONE} unless profiling was asked for, so the calls cost nothing by default.
 */
public interface Profiler {
    /** nvtxRangePushA. */
    void push(String range);

    /** nvtxRangePop. */
    void pop();

    /** cuProfilerStart: the attached profiler starts collecting (nothing happens without one). */
    void start();

    /** cuProfilerStop. */
    void stop();

    /** One line for the run's report: whether NVTX ranges are on, and why not. */
    String describe();

    /** No ranges, no window: what the engine uses unless profiling is asked for. */
    Profiler NONE = new Profiler() {
        @Override
        public void push(String range) {
        }

        @Override
        public void pop() {
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public String describe() {
            return "off";
        }
    };
}
