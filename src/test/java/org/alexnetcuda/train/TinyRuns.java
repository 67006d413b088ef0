package org.alexnetcuda.train;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.engine.cpu.CpuEngine;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.ParameterStore;

/** Whole training runs small enough for unit tests: a narrow AlexNet at input 67 on a slice of synth-small. */
final class TinyRuns {
    static final Path SYNTH = Path.of("test-data", "synth-small");
    static final AlexNet.Widths WIDTHS = new AlexNet.Widths(4, 8, 8, 8, 8, 16);
    static final ModelConfig MODEL = new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f);

    private TinyRuns() {
    }

    static Cifar10Reader.Splits data(int train, int test) {
        return Cifar10Reader.read(SYNTH, train, test);
    }

    static RunConfig config(Cifar10Reader.Splits d, int epochs, int batch, int every, int keep, boolean augment, long seed) {
        return new RunConfig(MODEL, WIDTHS,
                new RunConfig.DataConfig(SYNTH.toString(), d.train().size(), d.test().size(),
                        DatasetFingerprint.of(d.train(), d.test())),
                new TrainOptions(epochs, batch, true, seed), 1e-3f, 0f, augment, false, "cpu", every, keep);
    }

    /** A CPU engine with Xavier init from the config's seed. */
    static Engine engine(RunConfig c, Cifar10Reader.Splits d) {
        NetworkSpec spec = c.network();
        ParameterStore init = spec.newParameterStore();
        XavierInit.initialize(spec, init, c.training().seed());
        return new CpuEngine(c.engineConfig(), spec, init, d.train(), d.test());
    }

    static PrintStream discard() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    /** The final weights and Adam state of an engine, and a run's metrics, for exact comparison. */
    record Outcome(float[] weights, float[] m, float[] v, long step, long adamStep, OptimizerState.LossScale lossScale,
                   List<EpochMetrics> history) {
        static Outcome of(Engine e, List<EpochMetrics> history) {
            ParameterStore w = e.network().newParameterStore();
            e.readParameters(w);
            var o = e.optimizerState();
            return new Outcome(w.values, o.m(), o.v(), o.trainingSteps(), o.step(), o.lossScale(), history);
        }
    }
}
