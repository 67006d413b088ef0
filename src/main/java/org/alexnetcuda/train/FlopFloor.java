package org.alexnetcuda.train;

import java.util.ArrayList;
import java.util.List;

import org.alexnetcuda.model.FlopCount;
import org.alexnetcuda.tensor.Precision;

/**
 * A benchmark against the arithmetic its FLOPs need at a peak rate: each layer pass's floor is its FLOPs for the
 * batch divided by the peak, its gap the measured time above that floor. Memory-bound layers (ReLU, pooling, LRN,
 * dropout) have a floor of zero here, so their whole time is gap; the largest gap says where a step loses the most
 * time against the peak, whatever the reason.
 *
 * <p>Default peaks are the H100 SXM's from NVIDIA's datasheet, dense: 67 TFLOP/s FP32 on the CUDA cores, 495 TF32 on
 * the tensor cores (989 is with 2:4 sparsity, which no layer here uses). Other cards: pass --peak-tflops.
 */
public final class FlopFloor {
    /** H100 SXM FP32 (CUDA cores). */
    public static final double H100_FP32_TFLOPS = 67;
    /** H100 SXM TF32 tensor cores, dense. */
    public static final double H100_TF32_TFLOPS = 495;
    /** H100 SXM FP16 and BF16 tensor cores with FP32 accumulation, dense. */
    public static final double H100_HALF_TFLOPS = 989;

    /** One layer's FLOPs for the batch, floors and gaps, per pass. */
    public record Layer(String name, double forwardGflop, double backwardGflop, double forwardFloorMs,
                        double backwardFloorMs, double forwardGapMs, double backwardGapMs) {
    }

    /** The layer pass furthest above its floor. */
    public record Gap(String layer, String pass, double measuredMs, double floorMs) {
        public double gapMs() {
            return measuredMs - floorMs;
        }
    }

    private final double peakTflops;
    private final List<Layer> layers = new ArrayList<>();
    private final Gap largest;
    private final Benchmark.Result result;

    public FlopFloor(Benchmark.Result r, double peakTflops) {
        if (!(peakTflops > 0) || Double.isInfinite(peakTflops)) {
            throw new IllegalArgumentException("--peak-tflops must be a positive number (got " + peakTflops + ")");
        }
        this.result = r;
        this.peakTflops = peakTflops;
        Gap worst = null;
        for (int i = 0; i < r.layers().size(); i++) {
            Benchmark.LayerTime t = r.layers().get(i);
            FlopCount.Layer f = r.flops().get(i);
            double fwdGflop = f.forward() * (double) r.batchSize() / 1e9;
            double bwdGflop = f.backward() * (double) r.batchSize() / 1e9;
            double fwdFloor = floorMs(fwdGflop);
            double bwdFloor = floorMs(bwdGflop);
            layers.add(new Layer(t.name(), fwdGflop, bwdGflop, fwdFloor, bwdFloor, t.forwardMs() - fwdFloor,
                    t.backwardMs() - bwdFloor));
            for (Gap g : new Gap[] {new Gap(t.name(), "forward", t.forwardMs(), fwdFloor),
                    new Gap(t.name(), "backward", t.backwardMs(), bwdFloor)}) {
                if (worst == null || g.gapMs() > worst.gapMs()) {
                    worst = g;
                }
            }
        }
        this.largest = worst;
    }

    /** The default --peak-tflops of a precision (the H100 SXM's). */
    public static double defaultPeak(Precision p) {
        return switch (p) {
            case FP32 -> H100_FP32_TFLOPS;
            case TF32 -> H100_TF32_TFLOPS;
            case FP16, BF16 -> H100_HALF_TFLOPS;
        };
    }

    /** Where a default peak comes from, for the report. */
    public static String defaultPeakSource(Precision p) {
        return "H100 SXM " + switch (p) {
            case FP32 -> "FP32";
            case TF32 -> "TF32 tensor cores, dense";
            case FP16 -> "FP16 tensor cores, dense";
            case BF16 -> "BF16 tensor cores, dense";
        } + " (NVIDIA datasheet)";
    }

    private double floorMs(double gflop) {
        return gflop / (peakTflops * 1e3) * 1e3;
    }

    public double peakTflops() {
        return peakTflops;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The pass with the largest gap; null for a network without layers. */
    public Gap largestGap() {
        return largest;
    }

    /** Achieved TFLOP/s of training: the step's counted FLOPs over its measured time. */
    public double trainTflops() {
        return result.trainGflopPerImage() * result.trainImagesPerSecond() / 1e3;
    }

    /** Achieved TFLOP/s of inference (forward only). */
    public double inferenceTflops() {
        return result.forwardGflopPerImage() * result.inferenceImagesPerSecond() / 1e3;
    }

    /** The training step's time at the peak: its counted FLOPs over the peak. */
    public double trainFloorMs() {
        return floorMs(result.trainGflopPerImage() * result.batchSize());
    }

    public double trainFractionOfPeak() {
        return trainTflops() / peakTflops;
    }
}
