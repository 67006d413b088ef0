package org.alexnetcuda.engine.cpu;

import java.util.SplittableRandom;

import org.alexnetcuda.engine.Pass;
import org.alexnetcuda.math.GradientCheck;
import org.alexnetcuda.math.Parallel;
import org.alexnetcuda.tensor.Parameter;
import org.alexnetcuda.tensor.ParameterStore;
import org.alexnetcuda.tensor.Shape;
import org.alexnetcuda.tensor.Tensor;

/**
 * Times forward and backward of AlexNet's conv and fc layers (227 input) on the CPU engine. A main, not a test:
 * timings on shared machines are noise. Run after {@code mvn test-compile} with
 * {@code java -cp target/classes:target/test-classes org.alexnetcuda.engine.cpu.ConvBench [batch] [reps]}.
 * conv1's backward skips dx, as in training (it is the first layer). Best of reps, after one warm-up pass.
 */
public final class ConvBench {
    private ConvBench() {
    }

    private record Layer(String name, CpuLayer layer, Shape in, double flopsPerSample, boolean needsDx) {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        ParameterStore.Builder b = new ParameterStore.Builder();
        int[][] conv = {{3, 96, 11, 4, 1, 227}, {96, 256, 5, 1, 2, 27}, {256, 384, 3, 1, 1, 13},
            {384, 384, 3, 1, 1, 13}, {384, 256, 3, 1, 1, 13}};
        int[][] fc = {{9216, 4096}, {4096, 4096}, {4096, 10}};
        Parameter[] w = new Parameter[8];
        Parameter[] bias = new Parameter[8];
        for (int i = 0; i < 5; i++) {
            w[i] = b.add("conv" + (i + 1) + ".weight", conv[i][1], conv[i][0], conv[i][2], conv[i][2]);
            bias[i] = b.add("conv" + (i + 1) + ".bias", conv[i][1]);
        }
        for (int i = 0; i < 3; i++) {
            w[5 + i] = b.add("fc" + (i + 6) + ".weight", fc[i][1], fc[i][0]);
            bias[5 + i] = b.add("fc" + (i + 6) + ".bias", fc[i][1]);
        }
        ParameterStore store = b.build();
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < store.size(); i++) {
            store.values[i] = (float) (rnd.nextDouble() - 0.5) * 0.02f;
        }
        Layer[] layers = new Layer[8];
        for (int i = 0; i < 5; i++) {
            int[] c = conv[i];
            Conv2d layer = new Conv2d("conv" + (i + 1), c[0], c[1], c[2], c[3], c[4], store, w[i], bias[i]);
            Shape in = new Shape(batch, c[0], c[5], c[5]);
            Shape out = layer.outputShape(in);
            double flops = 2.0 * c[1] * c[0] * c[2] * c[2] * out.h() * out.w();
            layers[i] = new Layer(layer.name(), layer, in, flops, i > 0);
        }
        for (int i = 0; i < 3; i++) {
            Linear layer = new Linear("fc" + (i + 6), fc[i][0], fc[i][1], store, w[5 + i], bias[5 + i]);
            Shape in = i == 0 ? new Shape(batch, 256, 6, 6) : Shape.vector(batch, fc[i][0]);
            layers[5 + i] = new Layer(layer.name(), layer, in, 2.0 * fc[i][0] * fc[i][1], true);
        }

        System.out.printf("batch %d, %d threads, best of %d%n", batch, Parallel.threads(), reps);
        System.out.printf("%-6s %9s %9s %9s %9s%n", "layer", "fwd s", "GFLOP/s", "bwd s", "GFLOP/s");
        double totalFwd = 0;
        double totalBwd = 0;
        for (Layer l : layers) {
            Tensor x = new Tensor(l.in, GradientCheck.randomFloats(rnd, (int) l.in.size()));
            Shape outShape = l.layer.outputShape(l.in);
            Tensor y = new Tensor(outShape);
            Tensor dy = new Tensor(outShape, GradientCheck.randomFloats(rnd, (int) outShape.size()));
            Tensor dx = l.needsDx ? new Tensor(l.in) : null;
            Pass pass = Pass.train(0);
            l.layer.forward(x, y, pass); // warm-up: JIT and the per-thread buffers
            l.layer.backward(x, y, dy, dx, pass);
            double fwd = Double.MAX_VALUE;
            double bwd = Double.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                l.layer.forward(x, y, pass);
                long t1 = System.nanoTime();
                l.layer.backward(x, y, dy, dx, pass);
                long t2 = System.nanoTime();
                fwd = Math.min(fwd, (t1 - t0) * 1e-9);
                bwd = Math.min(bwd, (t2 - t1) * 1e-9);
            }
            double flops = l.flopsPerSample * batch;
            double bwdFlops = flops * (l.needsDx ? 2 : 1);
            System.out.printf("%-6s %9.3f %9.1f %9.3f %9.1f%n", l.name, fwd, flops / fwd * 1e-9, bwd,
                    bwdFlops / bwd * 1e-9);
            totalFwd += fwd;
            totalBwd += bwd;
        }
        System.out.printf("total  %9.3f %9s %9.3f   (forward + backward %.2f s)%n", totalFwd, "", totalBwd,
                totalFwd + totalBwd);
    }
}
