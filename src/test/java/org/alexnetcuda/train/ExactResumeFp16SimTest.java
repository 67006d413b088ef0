package org.alexnetcuda.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.device.sim.SimDevice;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.engine.cuda.CudaEngine;
import org.alexnetcuda.engine.cuda.MemoryEstimate;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Precision;

/**
 * Exact resume of an fp16 run: the loss scale, its good-step count and the skipped steps are part of the
 * checkpoint, and Adam's step count (which skips do not advance, and which drives the dropout masks) is restored as
 * Adam counted it. Every run starts from a loss scale of 2^20, which overflows the first few steps' gradients, so
 * that the checkpoints taken after every step include skipped steps and halved scales.
 */
class ExactResumeFp16SimTest extends ExactResumeTest {
    private static final float START_SCALE = 0x1p20f;

    @Override
    Engine engine(RunConfig c, Cifar10Reader.Splits d) {
        NetworkSpec spec = c.network();
        ParameterStore init = spec.newParameterStore();
        XavierInit.initialize(spec, init, c.training().seed());
        CudaEngine e = new CudaEngine(new SimDevice(), c.engineConfig().withPrecision(Precision.FP16), spec, init,
                d.train(), d.test(), c.training().batchSize(), MemoryEstimate.DEFAULT_WORKSPACE, true).closingDevice();
        int n = init.size();
        e.restoreOptimizerState(new OptimizerState(0, new float[n], new float[n],
                new OptimizerState.LossScale(START_SCALE, 0, 0)));
        return e;
    }

    /** The reference run did skip steps, so the resumed runs are tested with skips in their history. */
    @Override
    void checkReference(Engine e) {
        OptimizerState s = e.optimizerState();
        assertTrue(s.lossScale() != null && s.lossScale().skippedSteps() > 0 && s.step() < e.step(),
                "the reference fp16 run skipped steps: " + s.lossScale() + ", Adam step " + s.step() + " of " + e.step());
    }
}
