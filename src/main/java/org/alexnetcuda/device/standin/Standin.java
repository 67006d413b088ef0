package org.alexnetcuda.device.standin;

import org.alexnetcuda.device.DeviceException;
import org.alexnetcuda.device.sim.SimDevice;

/**
 * The stand-in's state in this process: its configuration, the handle table, and the simulated device behind the
 * primary context (made at the first retain, closed when the last retain is released, as the driver resets a
 * primary context). One process, one stand-in: the C libraries have no other way to find it.
 */
final class Standin {
    private static Standin instance;

    private final StandinConfig config;
    private final HandleTable handles = new HandleTable();
    private final CallTrace trace;
    private final DriverCalls driver;
    private final BlasCalls blas;
    private final DnnCalls dnn;
    private SimDevice device;

    private Standin(StandinConfig config) {
        this.config = config;
        this.trace = CallTrace.to(config.traceFile());
        this.driver = new DriverCalls(this);
        this.blas = new BlasCalls(this);
        this.dnn = new DnnCalls(this);
    }

    static synchronized Standin instance() {
        if (instance == null) {
            instance = new Standin(StandinConfig.from(System.getenv()));
        }
        return instance;
    }

    StandinConfig config() {
        return config;
    }

    HandleTable handles() {
        return handles;
    }

    CallTrace trace() {
        return trace;
    }

    DriverCalls driver() {
        return driver;
    }

    BlasCalls blas() {
        return blas;
    }

    DnnCalls dnn() {
        return dnn;
    }

    /** The simulated device of the retained primary context. */
    SimDevice device(String call, String noContextStatus) {
        if (device == null) {
            throw new DeviceException(call, noContextStatus, "no context: cuDevicePrimaryCtxRetain first");
        }
        return device;
    }

    boolean hasDevice() {
        return device != null;
    }

    void openDevice() {
        device = new SimDevice(config.memoryBytes()).simulatingComputeCapability(config.computeCapability());
    }

    void closeDevice() {
        if (device != null) {
            device.close();
            device = null;
            handles.clear();
            blas.forget();
            dnn.forget();
        }
    }
}
