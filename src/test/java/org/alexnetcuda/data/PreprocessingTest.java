package org.alexnetcuda.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PreprocessingTest {
    private static final Path FIXTURE = Path.of("test-data", "preprocess");

    /** Compares with PyTorch outputs written by tools/make_preprocess_fixture.py (see test-data/README.md). */
    @Test
    void matchesPyTorchFixture() throws IOException {
        JsonObject meta = new Gson().fromJson(Files.readString(FIXTURE.resolve("cases.json"), StandardCharsets.UTF_8), JsonObject.class);
        byte[] pixels = Files.readAllBytes(FIXTURE.resolve(meta.get("images_file").getAsString()));
        int count = meta.get("count").getAsInt();
        Cifar10Dataset ds = new Cifar10Dataset(pixels, new byte[count]);
        JsonArray cases = meta.getAsJsonArray("cases");
        assertEquals(4, cases.size());
        for (JsonElement e : cases) {
            JsonObject c = e.getAsJsonObject();
            String name = c.get("name").getAsString();
            int size = c.get("size").getAsInt();
            int[] indices = ints(c.getAsJsonArray("images"));
            Augment[] aug = null;
            if (!c.get("aug").isJsonNull()) {
                JsonArray a = c.getAsJsonArray("aug");
                aug = new Augment[a.size()];
                for (int i = 0; i < aug.length; i++) {
                    JsonArray t = a.get(i).getAsJsonArray();
                    aug[i] = new Augment(t.get(0).getAsInt(), t.get(1).getAsInt(), t.get(2).getAsBoolean());
                }
            }
            int[] rows = c.get("rows").isJsonNull() ? IntStream.range(0, size).toArray() : ints(c.getAsJsonArray("rows"));
            int[] cols = c.get("cols").isJsonNull() ? IntStream.range(0, size).toArray() : ints(c.getAsJsonArray("cols"));
            float[] expected = floats(FIXTURE.resolve(c.get("file").getAsString()));
            assertEquals(indices.length * 3 * rows.length * cols.length, expected.length, name);

            float[] out = new float[indices.length * 3 * size * size];
            Preprocessing.fillBatch(ds, indices, 0, indices.length, size, aug, out);
            int k = 0;
            double worst = 0;
            for (int n = 0; n < indices.length; n++) {
                for (int ch = 0; ch < 3; ch++) {
                    for (int y : rows) {
                        for (int x : cols) {
                            float want = expected[k++];
                            float got = out[((n * 3 + ch) * size + y) * size + x];
                            double err = Math.abs(got - want) / Math.max(1.0, Math.abs(want));
                            worst = Math.max(worst, err);
                            if (err > 1e-5) {
                                fail(name + ": sample " + n + " channel " + ch + " (" + y + ", " + x + "): " + got + " vs torch " + want);
                            }
                        }
                    }
                }
            }
            assertTrue(worst <= 1e-5, name + " worst error " + worst);
        }
    }

    private static int[] ints(JsonArray a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsInt();
        }
        return r;
    }

    private static float[] floats(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        float[] r = new float[b.remaining() / 4];
        b.asFloatBuffer().get(r);
        return r;
    }

    /** Independent check of the resize: a direct (non-separable) evaluation of the documented formula in double. */
    @Test
    void resizeMatchesTheFormula() {
        Cifar10Dataset ds = TestData.random(3, 31);
        int size = 45;
        float[] out = new float[3 * 3 * size * size];
        Preprocessing.fillBatch(ds, null, 0, 3, size, null, out);
        for (int n = 0; n < 3; n++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double sy = Math.max(0, (y + 0.5) * 32 / size - 0.5);
                        double sx = Math.max(0, (x + 0.5) * 32 / size - 0.5);
                        int y0 = (int) sy, x0 = (int) sx;
                        int y1 = Math.min(y0 + 1, 31), x1 = Math.min(x0 + 1, 31);
                        double fy = sy - y0, fx = sx - x0;
                        double v = (1 - fy) * ((1 - fx) * ds.pixel(n, c, y0, x0) + fx * ds.pixel(n, c, y0, x1))
                                + fy * ((1 - fx) * ds.pixel(n, c, y1, x0) + fx * ds.pixel(n, c, y1, x1));
                        double want = (v / 255 - Preprocessing.MEAN[c]) / Preprocessing.STD[c];
                        assertEquals(want, out[((n * 3 + c) * size + y) * size + x], 2e-5);
                    }
                }
            }
        }
    }

    @Test
    void size32WithoutAugmentationOnlyNormalises() {
        Cifar10Dataset ds = TestData.random(4, 32);
        int[] indices = {3, 1, 2, 0, 2};
        float[] out = new float[3 * 3072];
        Preprocessing.fillBatch(ds, indices, 1, 3, 32, null, out); // records 1, 2, 0
        for (int i = 0; i < 3; i++) {
            int record = indices[1 + i];
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) {
                    float want = (ds.pixel(record, c, p / 32, p % 32) / 255f - Preprocessing.MEAN[c]) / Preprocessing.STD[c];
                    assertEquals(want, out[i * 3072 + c * 1024 + p], 1e-6);
                }
            }
        }
        int[] labels = new int[3];
        Preprocessing.fillLabels(ds, indices, 1, 3, labels);
        assertArrayEquals(new int[] {ds.label(1), ds.label(2), ds.label(0)}, labels);
    }

    @Test
    void cropPadsWithBlackAndFlipMirrors() {
        Cifar10Dataset ds = TestData.random(1, 33);
        float[] out = new float[3072];
        // dx = 0, dy = 8: the crop window starts 4 left of and 4 below the image; then flipped.
        Preprocessing.fillBatch(ds, null, 0, 1, 32, new Augment[] {new Augment(0, 8, true)}, out);
        for (int c = 0; c < 3; c++) {
            float black = -Preprocessing.MEAN[c] / Preprocessing.STD[c];
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int sy = y + 4;
                    int sx = (31 - x) - 4;
                    float want = sy < 32 && sx >= 0
                            ? (ds.pixel(0, c, sy, sx) / 255f - Preprocessing.MEAN[c]) / Preprocessing.STD[c] : black;
                    assertEquals(want, out[c * 1024 + y * 32 + x], 1e-6, "c" + c + " y" + y + " x" + x);
                }
            }
        }
        float[] plain = new float[3072];
        float[] none = new float[3072];
        Preprocessing.fillBatch(ds, null, 0, 1, 32, null, plain);
        Preprocessing.fillBatch(ds, null, 0, 1, 32, new Augment[] {Augment.NONE}, none);
        assertArrayEquals(plain, none, 0f);
    }

    @Test
    void parallelBatchEqualsOneByOne() {
        Cifar10Dataset ds = TestData.random(37, 34);
        int size = 67;
        int sample = 3 * size * size;
        int[] order = IntStream.range(0, 37).map(i -> (i * 11) % 37).toArray();
        Augment[] aug = Augment.forBatch(5, 2, 3, 30);
        float[] batch = new float[30 * sample];
        Preprocessing.fillBatch(ds, order, 7, 30, size, aug, batch);
        float[] one = new float[sample];
        for (int i = 0; i < 30; i++) {
            Preprocessing.fillBatch(ds, new int[] {order[7 + i]}, 0, 1, size, new Augment[] {aug[i]}, one);
            assertArrayEquals(one, Arrays.copyOfRange(batch, i * sample, (i + 1) * sample), 0f, "sample " + i);
        }
    }

    @Test
    void augmentationDrawsAreSeededAndCoverTheRange() {
        Augment[] a = Augment.forBatch(9, 1, 0, 2000);
        assertArrayEquals(a, Augment.forBatch(9, 1, 0, 2000));
        assertNotEquals(Arrays.asList(a), Arrays.asList(Augment.forBatch(9, 1, 1, 2000)));
        assertNotEquals(Arrays.asList(a), Arrays.asList(Augment.forBatch(9, 2, 0, 2000)));
        int[] dx = new int[9];
        int[] dy = new int[9];
        int flips = 0;
        for (Augment x : a) {
            dx[x.dx()]++;
            dy[x.dy()]++;
            flips += x.flip() ? 1 : 0;
        }
        for (int i = 0; i < 9; i++) {
            assertTrue(dx[i] > 150 && dy[i] > 150, Arrays.toString(dx) + Arrays.toString(dy));
        }
        assertTrue(flips > 900 && flips < 1100, "flips " + flips);
        SplittableRandom rng = new SplittableRandom(Seeds.derive(9, Augment.STREAM, 1, 0));
        assertEquals(new Augment(rng.nextInt(9), rng.nextInt(9), rng.nextBoolean()), a[0]);
    }

    @Test
    void resizeTablesForUpsampling() {
        BilinearResize r = BilinearResize.of(32, 227);
        assertTrue(r == BilinearResize.of(32, 227), "tables are cached");
        // d = 0: s = 0.5 * 32/227 - 0.5 < 0 -> clamped to 0
        assertEquals(0, r.index0()[0]);
        assertEquals(1, r.index1()[0]);
        assertEquals(1f, r.weight0()[0]);
        // last: s = 226.5 * 32/227 - 0.5 = 31.43: i0 = 31, i1 clamped to 31
        assertEquals(31, r.index0()[226]);
        assertEquals(31, r.index1()[226]);
        for (int d = 0; d < 227; d++) {
            assertEquals(1f, r.weight0()[d] + r.weight1()[d], 1e-7);
        }
    }
}
