package org.alexnetcuda.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import org.alexnetcuda.tensor.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static final NetworkSpec SMALL = AlexNet.build(new ModelConfig(67, 10, LrnPlacement.CONV2, 0.5f),
            new AlexNet.Widths(4, 8, 8, 8, 8, 16));

    private static ParameterStore randomStore() {
        ParameterStore s = SMALL.newParameterStore();
        SplittableRandom rnd = new SplittableRandom();
        for (int i = 0; i < s.size(); i++) {
            s.values[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return s;
    }

    @Test
    void roundTripKeepsEveryValueAndName() throws IOException {
        ParameterStore s = randomStore();
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, s, Map.of("format", "pt"));
        ParameterStore back = SMALL.newParameterStore();
        Safetensors.load(f, back);
        assertArrayEquals(s.values, back.values);
        assertEquals("pt", Safetensors.metadata(f).get("format"));
        Map<String, Safetensors.Entry> entries = Safetensors.read(f);
        assertEquals(16, entries.size());
        assertArrayEquals(new int[] {4, 3, 11, 11}, entries.get("net.0.weight").dims());
    }

    @Test
    void headerIsAlignedAndOffsetsAreContiguous() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, randomStore(), null);
        byte[] b = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLen) % 8);
        assertEquals(b.length, 8 + headerLen + 4L * SMALL.parameterCount());
        String json = new String(b, 8, (int) headerLen, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"net.20.bias\""), json);
    }

    @Test
    void truncatedFileIsRejectedAndTheStoreIsUntouched() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, randomStore(), null);
        byte[] b = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(b, b.length - 100));
        ParameterStore target = randomStore();
        float[] before = target.values.clone();
        WeightsException e = assertThrows(WeightsException.class, () -> Safetensors.load(cut, target));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertArrayEquals(before, target.values);
        Files.write(cut, Arrays.copyOf(b, 5));
        assertThrows(WeightsException.class, () -> Safetensors.read(cut));
    }

    @Test
    void corruptHeaderIsRejected() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        byte[] json = "{\"net.0.weight\": {\"dtype\": \"F32\", \"shape\": [2]".getBytes(StandardCharsets.UTF_8);
        ByteBuffer bb = ByteBuffer.allocate(8 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(json.length).put(json).putLong(0);
        Files.write(f, bb.array());
        WeightsException e = assertThrows(WeightsException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        Files.write(f, "hello, this is not a weights file at all".getBytes(StandardCharsets.UTF_8));
        assertThrows(WeightsException.class, () -> Safetensors.read(f));
    }

    @Test
    void weightsOfAnotherShapeAreRejectedWithTheMismatch() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, randomStore(), null);
        NetworkSpec other = AlexNet.build(new ModelConfig(99, 10, LrnPlacement.CONV2, 0.5f), new AlexNet.Widths(4, 8, 8, 8, 8, 16));
        WeightsException e = assertThrows(WeightsException.class, () -> Safetensors.load(f, other.newParameterStore()));
        assertTrue(e.getMessage().contains("net.14.weight"), e.getMessage());
        assertThrows(WeightsException.class, () -> Safetensors.load(dir.resolve("missing.safetensors"), other.newParameterStore()));
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTempFiles() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Safetensors.write(f, randomStore(), null);
        ParameterStore second = randomStore();
        Safetensors.write(f, second, null);
        ParameterStore back = SMALL.newParameterStore();
        Safetensors.load(f, back);
        assertArrayEquals(second.values, back.values);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
