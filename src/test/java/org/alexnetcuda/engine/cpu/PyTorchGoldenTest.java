package org.alexnetcuda.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.Adam;
import org.alexnetcuda.math.SoftmaxCrossEntropy;
import org.alexnetcuda.model.AlexNet;
import org.alexnetcuda.model.LrnPlacement;
import org.alexnetcuda.model.ModelConfig;
import org.alexnetcuda.model.NetworkSpec;
import org.alexnetcuda.model.Safetensors;
import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CPU engine against PyTorch on a reduced AlexNet (the notebook's topology with narrow layers, input 99,
 * LRN after conv1 and conv2): logits, loss, every parameter gradient, and the weights after 2 Adam steps.
 * The fixture (test-data/golden/alexnet-small.safetensors) is computed by tools/make_golden.py in float64, with
 * the dropout masks PyTorch drew stored beside it and replayed here. Errors are norm-wise relative:
 * ||ours - torch|| / ||torch||, since our float32 differs from the float64 reference by rounding only.
 */
class PyTorchGoldenTest {
    private static final Path FIXTURE = Path.of("test-data", "golden", "alexnet-small.safetensors");

    /** float32 forward through 8 layers: rounding grows to about 1e-6 relative; 1e-4 leaves a wide margin. */
    private static final double FORWARD_BOUND = 1e-4;
    /** Gradients pass through the whole backward as well. */
    private static final double GRADIENT_BOUND = 1e-3;
    /** Adam's first steps are about lr * sign(g): the change of the weights is compared. */
    private static final double ADAM_BOUND = 1e-3;

    private static Map<String, Safetensors.Entry> golden;
    private static JsonObject config;
    private static NetworkSpec spec;

    @BeforeAll
    static void load() {
        golden = Safetensors.read(FIXTURE);
        config = JsonParser.parseString(Safetensors.metadata(FIXTURE).get("config")).getAsJsonObject();
        var w = config.getAsJsonArray("widths");
        ModelConfig cfg = new ModelConfig(config.get("input_size").getAsInt(), config.get("classes").getAsInt(),
                LrnPlacement.parse(config.get("lrn").getAsString()), config.get("dropout").getAsFloat());
        spec = AlexNet.build(cfg, new AlexNet.Widths(w.get(0).getAsInt(), w.get(1).getAsInt(), w.get(2).getAsInt(),
                w.get(3).getAsInt(), w.get(4).getAsInt(), w.get(5).getAsInt()));
    }

    private static float[] values(String name) {
        Safetensors.Entry e = golden.get(name);
        if (e == null) {
            throw new AssertionError("fixture has no tensor " + name + "; regenerate with tools/make_golden.py");
        }
        return e.values();
    }

    private static CpuNetwork network(ParameterStore store) {
        int fc = config.getAsJsonArray("widths").get(5).getAsInt();
        Map<String, DropoutMask> masks = new HashMap<>();
        for (String layer : new String[] {"drop6", "drop7"}) {
            float[] step0 = values("mask.step0." + layer);
            float[] step1 = values("mask.step1." + layer);
            masks.put(layer, (step, index) -> (step == 0 ? step0 : step1)[index] != 0f);
            assertEquals(config.get("batch").getAsInt() * fc, step0.length);
        }
        return new CpuNetwork(spec, store, 0, masks);
    }

    private static ParameterStore initialStore() {
        ParameterStore store = spec.newParameterStore();
        for (Parameter p : store.parameters()) {
            float[] v = values("init." + p.name());
            assertEquals(p.size(), v.length, p.name());
            System.arraycopy(v, 0, store.values, p.offset(), p.size());
        }
        return store;
    }

    private static int[] labels() {
        float[] f = values("labels");
        int[] l = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            l[i] = (int) f[i];
        }
        return l;
    }

    /** One training step as the engine runs it; returns the mean loss. */
    private static double step(CpuNetwork net, Adam adam, int[] labels, float[] input) {
        Tensor x = net.input(labels.length);
        System.arraycopy(input, 0, x.data, 0, input.length);
        Pass pass = Pass.train(adam.stepCount());
        Tensor logits = net.forward(pass);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, labels, net.logitsGradient());
        net.store().zeroGrads();
        net.backward(pass);
        return r.lossSum() / labels.length;
    }

    static double normRelativeError(float[] actual, int offset, float[] expected) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) actual[offset + i] - expected[i];
            diff += d * d;
            ref += (double) expected[i] * expected[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(ref), 1e-30);
    }

    @Test
    void logitsAndLossMatchPyTorch() {
        CpuNetwork net = network(initialStore());
        int[] labels = labels();
        Tensor x = net.input(labels.length);
        float[] input = values("input");
        System.arraycopy(input, 0, x.data, 0, input.length);
        Tensor logits = net.forward(Pass.train(0));
        double err = normRelativeError(logits.data, 0, values("logits"));
        assertTrue(err < FORWARD_BOUND, "logits relative error " + err);
        double loss = SoftmaxCrossEntropy.compute(logits, labels, null).lossSum() / labels.length;
        assertEquals(values("loss")[0], loss, FORWARD_BOUND * Math.abs(loss), "loss");
    }

    @Test
    void everyGradientMatchesPyTorch() {
        CpuNetwork net = network(initialStore());
        step(net, new Adam(1e-3f, 0.9f, 0.999f, 1e-8f, 0f), labels(), values("input"));
        for (Parameter p : net.store().parameters()) {
            double err = normRelativeError(net.store().grads, p.offset(), values("grad." + p.name()));
            assertTrue(err < GRADIENT_BOUND, p.name() + " gradient relative error " + err);
        }
    }

    @Test
    void weightsAfterTwoAdamStepsMatchPyTorch() {
        ParameterStore store = initialStore();
        float[] init = store.values.clone();
        CpuNetwork net = network(store);
        Adam adam = new Adam(config.get("lr").getAsFloat(), config.get("beta1").getAsFloat(),
                config.get("beta2").getAsFloat(), config.get("eps").getAsFloat(), config.get("weight_decay").getAsFloat());
        int[] labels = labels();
        float[] input = values("input");
        int steps = config.get("adam_steps").getAsInt();
        for (int s = 0; s < steps; s++) {
            step(net, adam, labels, input);
            adam.step(store);
        }
        for (Parameter p : store.parameters()) {
            float[] after = values("adam" + steps + "." + p.name());
            float[] expectedDelta = new float[p.size()];
            float[] actualDelta = new float[p.size()];
            for (int i = 0; i < p.size(); i++) {
                expectedDelta[i] = after[i] - init[p.offset() + i];
                actualDelta[i] = store.values[p.offset() + i] - init[p.offset() + i];
            }
            double err = normRelativeError(actualDelta, 0, expectedDelta);
            assertTrue(err < ADAM_BOUND, p.name() + " Adam update relative error " + err);
        }
        // Eval mode after training: dropout is the identity.
        Tensor x = net.input(labels.length);
        System.arraycopy(input, 0, x.data, 0, input.length);
        double err = normRelativeError(net.forward(Pass.EVAL).data, 0, values("eval_logits"));
        assertTrue(err < FORWARD_BOUND * 10, "eval logits after Adam relative error " + err);
    }
}
