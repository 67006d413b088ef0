package org.alexnetcuda.data;

import static org.alexnetcuda.data.Cifar10Dataset.IMAGE_BYTES;
import static org.alexnetcuda.data.Cifar10Dataset.RECORD_BYTES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
    @TempDir
    Path tmp;

    private static void assertSameRecords(Cifar10Dataset expected, Cifar10Dataset actual) {
        assertEquals(expected.size(), actual.size());
        assertArrayEquals(expected.labels(), actual.labels());
        assertArrayEquals(expected.images(), actual.images());
    }

    @Test
    void roundTripAcrossFiles() throws IOException {
        Cifar10Dataset train = TestData.random(23, 1);
        Cifar10Dataset test = TestData.random(7, 2);
        Cifar10Writer.writeDataset(tmp, train, test, 3);
        assertEquals(8L * RECORD_BYTES, Files.size(tmp.resolve("data_batch_1.bin")));
        assertEquals(7L * RECORD_BYTES, Files.size(tmp.resolve("data_batch_3.bin")));

        Cifar10Reader.Splits s = Cifar10Reader.read(tmp, Cifar10Reader.ALL, Cifar10Reader.ALL);
        assertSameRecords(train, s.train());
        assertSameRecords(test, s.test());
        assertEquals(Cifar10Dataset.DEFAULT_CLASS_NAMES, s.train().classNames());
        assertFalse(Cifar10Reader.isComplete(tmp), "3 of 5 training files is not the full set");
    }

    @Test
    void pixelLayoutIsPlanarRgbRowMajor() throws IOException {
        Cifar10Dataset train = TestData.random(2, 3);
        Cifar10Writer.writeDataset(tmp, train, train, 1);
        byte[] file = Files.readAllBytes(tmp.resolve("data_batch_1.bin"));
        Cifar10Dataset read = Cifar10Reader.readTrain(tmp, Cifar10Reader.ALL);
        // record 1, channel 2 (blue), row 5, column 7: offset 3073 + 1 + 2*1024 + 5*32 + 7
        assertEquals(file[RECORD_BYTES + 1 + 2 * 1024 + 5 * 32 + 7] & 0xFF, read.pixel(1, 2, 5, 7));
        assertEquals(file[RECORD_BYTES], read.labels()[1]);
    }

    @Test
    void limitsReadOnlyTheFirstRecords() throws IOException {
        Cifar10Dataset train = TestData.random(20, 4);
        Cifar10Dataset test = TestData.random(9, 5);
        Cifar10Writer.writeDataset(tmp, train, test, 2);
        // Corrupt the label of the last training record and the last test record: a limited read never reaches them.
        corruptLabel(tmp.resolve("data_batch_2.bin"), 9);
        corruptLabel(tmp.resolve("test_batch.bin"), 8);

        Cifar10Reader.Splits s = Cifar10Reader.read(tmp, 13, 4);
        assertSameRecords(train.limit(13), s.train());
        assertSameRecords(test.limit(4), s.test());
        Cifar10Reader.Splits s0 = Cifar10Reader.read(tmp, 0, 8);
        assertEquals(0, s0.train().size());
        assertEquals(8, s0.test().size());

        DataException e = assertThrows(DataException.class, () -> Cifar10Reader.readTrain(tmp, Cifar10Reader.ALL));
        assertEquals("data_batch_2.bin: record 9 has label 200, expected 0..9", e.getMessage());
        assertThrows(DataException.class, () -> Cifar10Reader.readTest(tmp, 100));
    }

    private static void corruptLabel(Path f, int record) throws IOException {
        byte[] b = Files.readAllBytes(f);
        b[record * RECORD_BYTES] = (byte) 200;
        Files.write(f, b);
    }

    @Test
    void acceptsTheArchiveSubdirectoryAndReadsClassNames() throws IOException {
        Path sub = tmp.resolve(Cifar10Reader.ARCHIVE_DIR);
        Cifar10Writer.writeDataset(sub, TestData.random(10, 6), TestData.random(3, 7), 5);
        List<String> names = List.of("a0", "b1", "c2", "d3", "e4", "f5", "g6", "h7", "i8", "j9");
        // The official file has trailing blank lines; they are ignored, and names are trimmed.
        Files.writeString(sub.resolve("batches.meta.txt"), "\n" + String.join(" \n", names) + "\n\n\n", StandardCharsets.UTF_8);
        assertEquals(sub, Cifar10Reader.resolve(tmp));
        assertEquals(names, Cifar10Reader.readTrain(tmp, 1).classNames());
        assertTrue(Cifar10Reader.isComplete(tmp));
        assertTrue(Cifar10Reader.isComplete(sub));
    }

    @Test
    void takesEveryPresentTrainingFileInOrder() throws IOException {
        Cifar10Dataset a = TestData.random(4, 8);
        Cifar10Dataset b = TestData.random(3, 9);
        Cifar10Writer.writeBatch(tmp.resolve("data_batch_1.bin"), a, 0, 4);
        Cifar10Writer.writeBatch(tmp.resolve("data_batch_3.bin"), b, 0, 3);
        Cifar10Dataset read = Cifar10Reader.readTrain(tmp, Cifar10Reader.ALL);
        assertEquals(7, read.size());
        assertArrayEquals(Arrays.copyOf(a.images(), 4 * IMAGE_BYTES), Arrays.copyOf(read.images(), 4 * IMAGE_BYTES));
        assertSameRecords(b, read.slice(4, 3));
    }

    @Test
    void sizeNotAWholeNumberOfRecords() throws IOException {
        Cifar10Writer.writeDataset(tmp, TestData.random(20, 10), TestData.random(2, 11), 2);
        Files.write(tmp.resolve("data_batch_2.bin"), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        DataException e = assertThrows(DataException.class, () -> Cifar10Reader.readTrain(tmp, 1));
        assertEquals("data_batch_2.bin: size 30731 is not a whole number of 3073-byte records", e.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        Cifar10Writer.writeDataset(tmp, TestData.random(2, 12), TestData.random(2, 13), 1);
        Files.write(tmp.resolve("test_batch.bin"), new byte[0]);
        assertEquals("test_batch.bin: empty file",
                assertThrows(DataException.class, () -> Cifar10Reader.readTest(tmp, Cifar10Reader.ALL)).getMessage());
    }

    @Test
    void missingFilesAndDirectories() throws IOException {
        DataException noDir = assertThrows(DataException.class, () -> Cifar10Reader.readTrain(tmp.resolve("nope"), 1));
        assertTrue(noDir.getMessage().endsWith("nope: no such directory"), noDir.getMessage());

        Path file = Files.writeString(tmp.resolve("plain"), "x");
        assertTrue(assertThrows(DataException.class, () -> Cifar10Reader.readTrain(file, 1)).getMessage().endsWith("not a directory"));

        Path empty = Files.createDirectory(tmp.resolve("empty"));
        DataException noBatch = assertThrows(DataException.class, () -> Cifar10Reader.readTrain(empty, 1));
        assertTrue(noBatch.getMessage().startsWith("data_batch_1.bin: not found in "), noBatch.getMessage());

        Path noTest = tmp.resolve("notest");
        Cifar10Writer.writeDataset(noTest, TestData.random(2, 14), TestData.random(2, 15), 1);
        Files.delete(noTest.resolve("test_batch.bin"));
        assertTrue(assertThrows(DataException.class, () -> Cifar10Reader.read(noTest, 1, 1)).getMessage().startsWith("test_batch.bin: not found in "));
        assertEquals(2, Cifar10Reader.readTrain(noTest, Cifar10Reader.ALL).size(), "the training set alone needs no test file");
    }

    @Test
    void wrongNumberOfClassNames() throws IOException {
        Cifar10Writer.writeDataset(tmp, TestData.random(2, 16), TestData.random(2, 17), 1);
        Files.writeString(tmp.resolve("batches.meta.txt"), "cat\ndog\n");
        assertEquals("batches.meta.txt: 2 class names, expected 10",
                assertThrows(DataException.class, () -> Cifar10Reader.readTrain(tmp, 1)).getMessage());
    }

    @Test
    void messagesAreOneLine() {
        assertEquals("a b c", new DataException("a\n b\r\nc\n").getMessage());
    }

    @Test
    void datasetLimitAndSlice() {
        Cifar10Dataset ds = TestData.random(10, 18);
        assertSame(ds, ds.limit(10));
        assertSame(ds, ds.limit(99));
        Cifar10Dataset first = ds.limit(4);
        assertEquals(4, first.size());
        assertArrayEquals(Arrays.copyOf(ds.images(), 4 * IMAGE_BYTES), first.images());
        Cifar10Dataset mid = ds.slice(3, 5);
        assertEquals(ds.pixel(5, 1, 31, 0), mid.pixel(2, 1, 31, 0));
        assertEquals(ds.label(7), mid.label(4));
        assertEquals(10, Arrays.stream(ds.classCounts()).sum());
        assertThrows(IllegalArgumentException.class, () -> new Cifar10Dataset(new byte[IMAGE_BYTES], new byte[] {10}));
        assertThrows(IllegalArgumentException.class, () -> new Cifar10Dataset(new byte[5], new byte[] {1}));
    }
}
