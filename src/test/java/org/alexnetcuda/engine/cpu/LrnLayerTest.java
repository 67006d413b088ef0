package org.alexnetcuda.engine.cpu;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.GradientCheck;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LrnLayerTest {

    /**
     * Double reference written the way PyTorch computes it: square, zero-pad the channel axis with floor(size/2)
     * channels before and floor((size-1)/2) after, average size consecutive padded channels, then
     * y = x / (k + alpha * avg)^beta.
     */
    static double[] reference(double[] x, Shape s, int size, double alpha, double beta, double k) {
        int before = size / 2;
        int after = (size - 1) / 2;
        int hw = s.h() * s.w();
        double[] y = new double[x.length];
        for (int n = 0; n < s.n(); n++) {
            for (int p = 0; p < hw; p++) {
                double[] padded = new double[before + s.c() + after];
                for (int c = 0; c < s.c(); c++) {
                    double v = x[(n * s.c() + c) * hw + p];
                    padded[before + c] = v * v;
                }
                for (int c = 0; c < s.c(); c++) {
                    double avg = 0;
                    for (int t = 0; t < size; t++) {
                        avg += padded[c + t];
                    }
                    avg /= size;
                    int i = (n * s.c() + c) * hw + p;
                    y[i] = x[i] / Math.pow(k + alpha * avg, beta);
                }
            }
        }
        return y;
    }

    private static Tensor scaled(SplittableRandom rnd, Shape s, double scale) {
        float[] a = GradientCheck.randomFloats(rnd, (int) s.size());
        for (int i = 0; i < a.length; i++) {
            a[i] *= (float) scale;
        }
        return new Tensor(s, a);
    }

    /** (size, alpha, beta, k, input scale): AlexNet's, even and odd sizes with strong normalisation, size 1. */
    private static final double[][] PARAMS = {
            {5, 1e-4, 0.75, 2, 30}, {4, 0.5, 0.75, 1, 1.5}, {3, 2, 0.5, 0.5, 1}, {6, 0.8, 0.9, 1.2, 1.2}, {1, 1, 1, 1, 1},
            {9, 1, 0.75, 1, 1}, // window wider than the 7 channels
    };

    @Test
    void forwardMatchesReference() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        Shape s = new Shape(3, 7, 5, 4);
        for (double[] q : PARAMS) {
            int size = (int) q[0];
            LrnLayer lrn = new LrnLayer("lrn", size, q[1], q[2], q[3]);
            Tensor x = scaled(rnd, s, q[4]);
            Tensor y = new Tensor(s);
            lrn.forward(x, y, Pass.EVAL);
            double[] expected = reference(GradientCheck.toDouble(x.data), s, size, q[1], q[2], q[3]);
            // Double inside, one float rounding at the end.
            GradientCheck.assertClose("lrn y, size " + size + ", seed " + seed, GradientCheck.toDouble(y.data), expected, 1e-6);
        }
    }

    @Test
    void backwardMatchesNumericGradient() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        Shape s = new Shape(2, 7, 3, 4);
        for (double[] q : PARAMS) {
            int size = (int) q[0];
            LrnLayer lrn = new LrnLayer("lrn", size, q[1], q[2], q[3]);
            Tensor x = scaled(rnd, s, q[4]);
            Tensor y = new Tensor(s);
            lrn.forward(x, y, Pass.train(0));
            Tensor dy = new Tensor(s, GradientCheck.randomFloats(rnd, (int) s.size()));
            Tensor dx = new Tensor(s);
            java.util.Arrays.fill(dx.data, 4f);
            lrn.backward(x, y, dy, dx, Pass.train(0));
            int[] all = GradientCheck.sampleIndices(rnd, (int) s.size(), Integer.MAX_VALUE);
            double h = 1e-4 * q[4];
            double[] numeric = GradientCheck.numericGradient(v -> reference(v, s, size, q[1], q[2], q[3]),
                    GradientCheck.toDouble(x.data), GradientCheck.toDouble(dy.data), all, h);
            // Smooth: central-difference truncation ~h^2, rounding ~1e-16 / h; the backward uses the float y and
            // rounds once to float, so ~1e-7 relative.
            GradientCheck.assertClose("lrn dx, size " + size + ", seed " + seed, GradientCheck.pick(dx.data, all), numeric, 1e-5);
        }
    }

    @Test
    void windowIsPyTorchs() {
        // Only channel 3 differs from 1: outputs whose window contains channel 3 change (and output 3 itself).
        // For size 4 the window of c is [c-2, c+1], so channel 3 is seen by c = 2..5; for size 5 by c = 1..5.
        // These sets were observed by probing torch.nn.LocalResponseNorm the same way.
        Shape s = new Shape(1, 8, 1, 1);
        int[][] expectedSeenBy = {{}, {3}, {3, 4}, {2, 3, 4}, {2, 3, 4, 5}, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 5, 6}};
        for (int size = 1; size <= 6; size++) {
            LrnLayer lrn = new LrnLayer("lrn", size, 1, 1, 1);
            float[] ones = new float[8];
            java.util.Arrays.fill(ones, 1f);
            Tensor base = new Tensor(s);
            lrn.forward(new Tensor(s, ones), base, Pass.EVAL);
            float[] probe = ones.clone();
            probe[3] = 10f;
            Tensor y = new Tensor(s);
            lrn.forward(new Tensor(s, probe), y, Pass.EVAL);
            StringBuilder seen = new StringBuilder();
            for (int c = 0; c < 8; c++) {
                if (c == 3 || y.data[c] != base.data[c]) {
                    seen.append(c).append(' ');
                }
            }
            StringBuilder want = new StringBuilder();
            for (int c : expectedSeenBy[size]) {
                want.append(c).append(' ');
            }
            assertEquals(want.toString(), seen.toString(), "size " + size);
        }
    }

    @Test
    void matchesPyTorchFixture() throws IOException {
        JsonObject doc = JsonParser.parseString(Files.readString(Path.of("test-data", "lrn-golden.json"))).getAsJsonObject();
        int cases = 0;
        for (var element : doc.getAsJsonArray("cases")) {
            JsonObject c = element.getAsJsonObject();
            JsonArray dims = c.getAsJsonArray("shape");
            Shape s = new Shape(dims.get(0).getAsInt(), dims.get(1).getAsInt(), dims.get(2).getAsInt(), dims.get(3).getAsInt());
            int size = c.get("size").getAsInt();
            LrnLayer lrn = new LrnLayer("lrn", size, c.get("alpha").getAsDouble(), c.get("beta").getAsDouble(), c.get("k").getAsDouble());
            Tensor x = new Tensor(s, floats(c.getAsJsonArray("x")));
            Tensor y = new Tensor(s);
            lrn.forward(x, y, Pass.EVAL);
            GradientCheck.assertClose("y vs PyTorch, size " + size, GradientCheck.toDouble(y.data), doubles(c.getAsJsonArray("y")), 1e-6);
            Tensor dx = new Tensor(s);
            lrn.backward(x, y, new Tensor(s, floats(c.getAsJsonArray("dy"))), dx, Pass.EVAL);
            GradientCheck.assertClose("dx vs PyTorch, size " + size, GradientCheck.toDouble(dx.data), doubles(c.getAsJsonArray("dx")), 1e-6);
            cases++;
        }
        assertEquals(4, cases);
    }

    private static float[] floats(JsonArray a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = a.get(i).getAsFloat();
        }
        return f;
    }

    private static double[] doubles(JsonArray a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).getAsDouble();
        }
        return d;
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new LrnLayer("lrn", 0, 1e-4, 0.75, 2));
        assertThrows(IllegalArgumentException.class, () -> new LrnLayer("lrn", 5, 1e-4, 0.75, 0));
        assertThrows(IllegalArgumentException.class, () -> new LrnLayer("lrn", 5, -1, 0.75, 2));
    }
}
