package org.alexnetcuda.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.Totals;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.XavierInit;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.train.EpochMetrics;
import org.alexnetcuda.train.TrainOptions;
import org.alexnetcuda.train.Trainer;
import org.junit.jupiter.api.Test;

/** The CPU engine end to end through the training loop, on the committed synthetic set. */
class CpuEngineTest {
    private static final Path SYNTH = Path.of("test-data", "synth-small");
    /** The notebook's topology, narrower, at the smallest useful input: fast enough for CI, still learns. */
    private static final NetworkSpec SPEC = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f),
            new AlexNet.Widths(16, 32, 48, 48, 32, 128));

    private static CpuEngine engine(long seed, Cifar10Reader.Splits data) {
        ParameterStore init = SPEC.newParameterStore();
        XavierInit.initialize(SPEC, init, seed);
        return new CpuEngine(new EngineConfig(1e-3f, 0f, seed, false), SPEC, init, data.train(), data.test());
    }

    @Test
    void learnsTheSyntheticSet() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, Cifar10Reader.ALL, Cifar10Reader.ALL);
        List<EpochMetrics> m;
        try (CpuEngine e = engine(11, data)) {
            m = new Trainer(e, new TrainOptions(3, 32, true, 11), data.train().size(), data.test().size(),
                    new PrintStream(new ByteArrayOutputStream()), true).run(1);
        }
        assertEquals(3, m.size());
        assertTrue(m.get(2).trainLoss() < m.get(0).trainLoss(), "train loss falls: " + m);
        assertTrue(m.get(2).trainLoss() < 0.8 * Math.log(10), "train loss well below chance: " + m);
        assertTrue(m.get(2).testAccuracy() > 0.3, "test accuracy well above 10% chance: " + m);
    }

    @Test
    void sameSeedGivesBitIdenticalTraining() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 96, 32);
        float[][] weights = new float[2][];
        Totals[] totals = new Totals[2];
        for (int run = 0; run < 2; run++) {
            try (CpuEngine e = engine(5, data)) {
                new Trainer(e, new TrainOptions(1, 32, true, 5), 96, 32, new PrintStream(new ByteArrayOutputStream()), true).run(1);
                ParameterStore s = SPEC.newParameterStore();
                e.readParameters(s);
                weights[run] = s.values;
                totals[run] = e.totals();
                assertEquals(3, e.step());
            }
        }
        assertArrayEquals(weights[0], weights[1]);
        assertEquals(totals[0].trainLossSum(), totals[1].trainLossSum());
        assertEquals(totals[0].evalLossSum(), totals[1].evalLossSum());
    }

    @Test
    void lastPartialBatchCountsAndTotalsAreConsistent() {
        Cifar10Reader.Splits data = Cifar10Reader.read(SYNTH, 70, 45);
        try (CpuEngine e = engine(2, data)) {
            new Trainer(e, new TrainOptions(1, 32, false, 2), 70, 45, new PrintStream(new ByteArrayOutputStream()), true).run(1);
            Totals t = e.totals();
            assertEquals(3, t.trainBatches(), "32 + 32 + 6");
            assertEquals(70, t.trainSamples());
            assertEquals(45, t.evalSamples());
            long confusionTotal = 0;
            long diagonal = 0;
            for (int c = 0; c < 10; c++) {
                for (int p = 0; p < 10; p++) {
                    confusionTotal += t.confusion()[c][p];
                }
                diagonal += t.confusion()[c][c];
            }
            assertEquals(45, confusionTotal);
            assertEquals(t.evalCorrect(), diagonal);
        }
    }
}
