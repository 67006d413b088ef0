package org.alexnetcuda.engine.cpu;

import org.alexnetcuda.data.Augment;
import org.alexnetcuda.data.Cifar10Dataset;
import org.alexnetcuda.data.Preprocessing;
import org.alexnetcuda.engine.Engine;
import org.alexnetcuda.engine.EngineConfig;
import org.alexnetcuda.engine.OptimizerState;
import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.engine.Totals;
import org.alexnetcuda.math.Adam;
import org.alexnetcuda.math.Parallel;
import org.alexnetcuda.math.SoftmaxCrossEntropy;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Precision;
import org.alexnetcuda.tensor.Tensor;

/**
 * The reference engine: every stage of the data path in plain Java on the host, multi-threaded.
 * It favours clarity and accuracy; the CUDA engine is checked against it.
 */
public final class CpuEngine implements Engine {
    /** Why another precision is refused: TF32 is a property of GPU tensor cores, not something to emulate here. */
    public static final String CPU_PRECISION = "the CPU engine computes in fp32 only; use --precision fp32, or "
            + "--device gpu (or sim) for tf32, fp16 or bf16";

    private final EngineConfig config;
    private final NetworkSpec spec;
    private final CpuNetwork net;
    private final Adam adam;
    private final Cifar10Dataset train;
    private final Cifar10Dataset test;
    private final int classes;

    private double trainLossSum;
    private long trainBatches;
    private long trainSamples;
    private double evalLossSum;
    private long evalCorrect;
    private long evalSamples;
    private long[][] confusion;
    /**
     * The loss scale of an fp16 checkpoint this FP32 engine continues, carried unchanged into its own checkpoints:
     * its skipped steps are training steps Adam did not count.
     */
    private OptimizerState.LossScale carriedLossScale;

    /** An engine over these datasets (train may be null for evaluation only). */
    public CpuEngine(EngineConfig config, NetworkSpec spec, ParameterStore initial, Cifar10Dataset train, Cifar10Dataset test) {
        if (config.precision() != Precision.FP32) {
            throw new IllegalArgumentException(CPU_PRECISION);
        }
        this.config = config;
        this.spec = spec;
        this.net = new CpuNetwork(spec, spec.newParameterStore(), config.seed());
        System.arraycopy(initial.values, 0, net.store().values, 0, initial.values.length);
        this.adam = new Adam(config.learningRate(), 0.9f, 0.999f, 1e-8f, config.weightDecay());
        this.train = train;
        this.test = test;
        this.classes = spec.outputShape(1).c();
        resetTotals();
    }

    @Override
    public String description() {
        return "cpu (reference engine, " + Parallel.threads() + " threads)";
    }

    @Override
    public NetworkSpec network() {
        return spec;
    }

    public Adam optimizer() {
        return adam;
    }

    @Override
    public void trainStep(int[] order, int from, int count) {
        long step = adam.stepCount();
        Tensor x = net.input(count);
        int[] labels = new int[count];
        // Augmentation draws depend on (seed, step) only, so a resumed run sees the same crops and flips.
        Augment[] aug = config.augment() ? Augment.forBatch(config.seed(), 0, Math.toIntExact(step), count) : null;
        Preprocessing.fillBatch(train, order, from, count, spec.inputSize(), aug, x.data);
        Preprocessing.fillLabels(train, order, from, count, labels);
        Pass pass = Pass.train(step);
        Tensor logits = net.forward(pass);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, labels, net.logitsGradient());
        net.store().zeroGrads();
        net.backward(pass);
        adam.step(net.store());
        trainLossSum += r.lossSum() / count;
        trainBatches++;
        trainSamples += count;
    }

    @Override
    public void evalBatch(int[] order, int from, int count) {
        int[] labels = new int[count];
        Preprocessing.fillLabels(test, order, from, count, labels);
        Tensor logits = evalForward(order, from, count);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, labels, null);
        evalLossSum += r.lossSum();
        evalCorrect += r.correct();
        evalSamples += count;
        for (int i = 0; i < count; i++) {
            confusion[labels[i]][SoftmaxCrossEntropy.argmax(logits.data, i * classes, classes)]++;
        }
    }

    @Override
    public float[] logits(int[] order, int from, int count) {
        return evalForward(order, from, count).data.clone();
    }

    private Tensor evalForward(int[] order, int from, int count) {
        Tensor x = net.input(count);
        Preprocessing.fillBatch(test, order, from, count, spec.inputSize(), null, x.data);
        return net.forward(Pass.EVAL);
    }

    @Override
    public Totals totals() {
        long[][] copy = new long[classes][];
        for (int c = 0; c < classes; c++) {
            copy[c] = confusion[c].clone();
        }
        return new Totals(trainLossSum, trainBatches, trainSamples, evalLossSum, evalCorrect, evalSamples, copy);
    }

    @Override
    public void resetTotals() {
        trainLossSum = 0;
        trainBatches = 0;
        trainSamples = 0;
        evalLossSum = 0;
        evalCorrect = 0;
        evalSamples = 0;
        confusion = new long[classes][classes];
    }

    @Override
    public void restoreTotals(Totals t) {
        if (t.confusion().length != classes) {
            throw new IllegalArgumentException("totals have " + t.confusion().length + " classes, the network " + classes);
        }
        trainLossSum = t.trainLossSum();
        trainBatches = t.trainBatches();
        trainSamples = t.trainSamples();
        evalLossSum = t.evalLossSum();
        evalCorrect = t.evalCorrect();
        evalSamples = t.evalSamples();
        confusion = new long[classes][];
        for (int c = 0; c < classes; c++) {
            confusion[c] = t.confusion()[c].clone();
        }
    }

    @Override
    public OptimizerState optimizerState() {
        int n = net.store().size();
        float[] m = adam.m();
        float[] v = adam.v();
        return m == null ? OptimizerState.fresh(n)
                : new OptimizerState(adam.stepCount(), m.clone(), v.clone(), carriedLossScale);
    }

    @Override
    public void restoreOptimizerState(OptimizerState s) {
        if (s.m().length != net.store().size()) {
            throw new IllegalArgumentException("optimizer state has " + s.m().length + " moments, the network "
                    + net.store().size() + " parameters");
        }
        adam.restore(s.step(), s.m(), s.v());
        carriedLossScale = s.lossScale();
    }

    @Override
    public long step() {
        return adam.stepCount() + (carriedLossScale == null ? 0 : carriedLossScale.skippedSteps());
    }

    @Override
    public void readParameters(ParameterStore into) {
        System.arraycopy(net.store().values, 0, into.values, 0, into.values.length);
    }

    @Override
    public void writeParameters(ParameterStore from) {
        System.arraycopy(from.values, 0, net.store().values, 0, from.values.length);
    }

    @Override
    public void close() {
        // nothing to release on the host
    }
}
