package org.alexnetcuda.train;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.cuda.CudaEngine;
import org.alexnetcuda.engine.cuda.MemoryEstimate;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.ParameterStore;

/**
 * Exact resume with the CUDA engine (on the simulator, whose arithmetic is deterministic): checkpoints read the
 * optimizer state and totals from device memory and restore them there, and the dropout masks follow the restored
 * device step, so an interrupted and resumed run ends bit for bit where the uninterrupted one ends. Augmentation
 * is on: the epoch's crops and flips are rebuilt on the device for the resumed step.
 */
class ExactResumeSimTest extends ExactResumeTest {
    @Override
    Engine engine(RunConfig c, Cifar10Reader.Splits d) {
        NetworkSpec spec = c.network();
        ParameterStore init = spec.newParameterStore();
        XavierInit.initialize(spec, init, c.training().seed());
        SimDevice dev = new SimDevice();
        return new CudaEngine(dev, c.engineConfig(), spec, init, d.train(), d.test(), c.training().batchSize(),
                MemoryEstimate.DEFAULT_WORKSPACE, true).closingDevice();
    }
}
