package org.alexnetcuda.data;

import static org.alexnetcuda.data.Cifar10Dataset.IMAGE_BYTES;
import static org.alexnetcuda.data.Cifar10Dataset.PLANE;
import static org.alexnetcuda.data.Cifar10Dataset.SIDE;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A learnable stand-in for CIFAR-10 in exactly its binary format, for tests and for runs without the real data.
 *
 * <p>Class k is one shape (disc, square, triangle, horizontal stripes, vertical stripes, plus, ring, X, diamond,
 * checkerboard) painted in a per-class base colour with +-40 jitter per channel, at a random centre (9..23 px)
 * and radius (7..12 px), over a random dim background colour, plus per-pixel triangular noise in [-24, 24].
 * Edges are anti-aliased with 2x2 supersampling. Colour alone separates most classes, shape the rest, so a small
 * CNN learns it quickly even at low resolution; the noise and jitter keep it from being trivial.
 *
 * <p>Deterministic: record i of split s (0 train, 1 test) draws everything from
 * {@code new SplittableRandom(Seeds.derive(seed, s, i))}, so records do not depend on how many are generated or
 * on thread scheduling.
 */
public final class SyntheticCifar {
    public static final List<String> CLASS_NAMES = List.of(
            "disc", "square", "triangle", "hstripes", "vstripes", "plus", "ring", "cross", "diamond", "checker");

    /** Base colour (R, G, B) per class. */
    private static final int[][] COLOURS = {
        {230, 60, 60}, {60, 200, 70}, {70, 90, 230}, {235, 220, 60}, {220, 70, 220},
        {60, 215, 220}, {245, 150, 40}, {150, 80, 230}, {240, 240, 240}, {180, 110, 60},
    };

    private SyntheticCifar() {
    }

    /**
     * Writes train + test records to dir: the training set in up to five batch files (five when train >= 5),
     * test_batch.bin and batches.meta.txt. This is what the CLI's {@code synth --out DIR --train N --test M --seed S}
     * calls.
     */
    public static void write(Path dir, int train, int test, long seed) {
        write(dir, train, test, seed, Math.max(1, Math.min(Cifar10Reader.TRAIN_FILES, train)));
    }

    /** As {@link #write(Path, int, int, long)} with an explicit number of training batch files (1..5). */
    public static void write(Path dir, int train, int test, long seed, int trainFiles) {
        if (train < 1 || test < 1) {
            throw new IllegalArgumentException("need at least one train and one test record, got " + train + " and " + test);
        }
        try {
            Cifar10Writer.writeDataset(dir, generate(train, seed, 0), generate(test, seed, 1), trainFiles);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot write synthetic dataset: " + e, e);
        }
    }

    /** count records of split (0 train, 1 test) in memory. */
    public static Cifar10Dataset generate(int count, long seed, int split) {
        byte[] images = new byte[count * IMAGE_BYTES];
        byte[] labels = new byte[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, split, i));
            int label = rng.nextInt(Cifar10Dataset.CLASSES);
            labels[i] = (byte) label;
            render(rng, label, images, i * IMAGE_BYTES);
        });
        return new Cifar10Dataset(images, labels, CLASS_NAMES);
    }

    /** Paints one image of class label into dst[off .. off + 3072) in R, G, B planes. */
    static void render(SplittableRandom rng, int label, byte[] dst, int off) {
        int[] bg = new int[3];
        int[] fg = new int[3];
        for (int c = 0; c < 3; c++) {
            bg[c] = 20 + rng.nextInt(100);
            fg[c] = clamp(COLOURS[label][c] + rng.nextInt(81) - 40);
        }
        double cx = 9 + 14 * rng.nextDouble();
        double cy = 9 + 14 * rng.nextDouble();
        double r = 7 + 5 * rng.nextDouble();
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                // Coverage: fraction of the 2x2 sub-pixel centres (offsets 0.25, 0.75) inside the shape.
                int inside = 0;
                for (int sy = 0; sy < 2; sy++) {
                    for (int sx = 0; sx < 2; sx++) {
                        double u = (x + 0.25 + 0.5 * sx - cx) / r;
                        double v = (y + 0.25 + 0.5 * sy - cy) / r;
                        if (inShape(label, u, v)) {
                            inside++;
                        }
                    }
                }
                double a = inside / 4.0;
                for (int c = 0; c < 3; c++) {
                    int noise = rng.nextInt(25) + rng.nextInt(25) - 24; // triangular on [-24, 24]
                    dst[off + c * PLANE + y * SIDE + x] = (byte) clamp((int) Math.round(bg[c] * (1 - a) + fg[c] * a) + noise);
                }
            }
        }
    }

    /** Whether (u, v), in units of the shape radius around its centre (v pointing down), is inside class k's shape. */
    static boolean inShape(int k, double u, double v) {
        double au = Math.abs(u);
        double av = Math.abs(v);
        boolean box = au <= 1 && av <= 1;
        double rr = u * u + v * v;
        return switch (k) {
            case 0 -> rr <= 1;                                           // disc
            case 1 -> au <= 0.8 && av <= 0.8;                            // square
            case 2 -> v <= 0.8 && v >= -1 && au <= 0.55 * (v + 1);       // triangle, apex up
            case 3 -> box && Math.floorMod((int) Math.floor((v + 1) * 2.5), 2) == 0; // horizontal stripes
            case 4 -> box && Math.floorMod((int) Math.floor((u + 1) * 2.5), 2) == 0; // vertical stripes
            case 5 -> box && (au <= 0.3 || av <= 0.3);                   // plus
            case 6 -> rr <= 1 && rr >= 0.55 * 0.55;                      // ring
            case 7 -> box && (Math.abs(u - v) <= 0.4 || Math.abs(u + v) <= 0.4); // X
            case 8 -> au + av <= 1;                                      // diamond
            case 9 -> box && Math.floorMod((int) Math.floor((u + 1) * 2) + (int) Math.floor((v + 1) * 2), 2) == 0; // checkerboard
            default -> throw new IllegalArgumentException("class " + k);
        };
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Regenerates test-data/synth-small: {@code java ... SyntheticCifar OUT_DIR}. */
    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "test-data/synth-small");
        write(out, 1000, 200, 42, 2);
        System.out.println("wrote " + out);
    }
}
