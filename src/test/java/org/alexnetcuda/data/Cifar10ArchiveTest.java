package org.alexnetcuda.data;

import static org.alexnetcuda.data.TestArchives.listing;
import static org.alexnetcuda.data.TestArchives.md5;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy of the archive fetched by other means, installed next to itself. */
class Cifar10ArchiveTest {
    @TempDir
    Path tmp;

    private Path source;
    private byte[] tarball;
    private Path archive;

    @BeforeEach
    void write() throws IOException {
        source = tmp.resolve("source");
        tarball = TestArchives.synthetic(source, 7);
        archive = Files.createDirectories(tmp.resolve("downloads")).resolve(Cifar10Archive.FILE_NAME);
        Files.write(archive, tarball);
    }

    @Test
    void unpacksNextToTheArchiveOnce() throws IOException {
        Cifar10Archive.Installed first = Cifar10Archive.installFrom(archive, md5(tarball).toUpperCase());
        assertTrue(first.unpacked());
        Path dir = archive.getParent().toAbsolutePath().resolve(Cifar10Reader.ARCHIVE_DIR);
        assertEquals(dir, first.dir());
        assertEquals(List.of(Cifar10Reader.ARCHIVE_DIR, Cifar10Archive.FILE_NAME),
                listing(archive.getParent()).stream().filter(s -> !s.contains("/")).toList(), "no staging folder left");
        for (String f : List.of("data_batch_1.bin", "data_batch_5.bin", "test_batch.bin", "batches.meta.txt")) {
            assertArrayEquals(Files.readAllBytes(source.resolve(f)), Files.readAllBytes(dir.resolve(f)), f);
        }
        assertEquals(10, Cifar10Reader.readTrain(first.dir(), Cifar10Reader.ALL).size());

        // Once unpacked, the archive is not read again: an unreadable archive now would be noticed otherwise.
        Files.write(archive, new byte[] {1, 2, 3});
        Cifar10Archive.Installed again = Cifar10Archive.installFrom(archive, md5(tarball));
        assertFalse(again.unpacked());
        assertEquals(dir, again.dir());
    }

    @Test
    void aWrongChecksumIsTheFilesFaultAndLeavesOnlyTheFile() throws IOException {
        String wrong = "0123456789abcdef0123456789abcdef";
        DataException e = assertThrows(DataException.class, () -> Cifar10Archive.installFrom(archive, wrong));
        assertEquals(archive.toAbsolutePath() + ": MD5 is " + md5(tarball) + ", expected " + wrong
                + " (damaged, or not the CIFAR-10 binary archive); fetch cifar-10-binary.tar.gz again", e.getMessage());
        assertEquals(List.of(Cifar10Archive.FILE_NAME), listing(archive.getParent()));
    }

    @Test
    void aDamagedArchiveWithItsOwnChecksumLeavesOnlyTheFile() throws IOException {
        byte[] cut = java.util.Arrays.copyOf(tarball, tarball.length / 2);
        Files.write(archive, cut);
        DataException e = assertThrows(DataException.class, () -> Cifar10Archive.installFrom(archive, md5(cut)));
        assertTrue(e.getMessage().startsWith("cifar-10-binary.tar.gz: cannot unpack"), e.getMessage());
        assertEquals(List.of(Cifar10Archive.FILE_NAME), listing(archive.getParent()));
    }

    @Test
    void anIncompleteFolderBesideItIsNotOverwritten() throws IOException {
        Path target = Files.createDirectories(archive.getParent().resolve(Cifar10Reader.ARCHIVE_DIR));
        Files.write(target.resolve("data_batch_1.bin"), new byte[Cifar10Dataset.RECORD_BYTES]);
        DataException e = assertThrows(DataException.class, () -> Cifar10Archive.installFrom(archive, md5(tarball)));
        assertEquals(target.toAbsolutePath() + ": exists but is not a complete dataset; remove it and try again", e.getMessage());
        assertEquals(List.of("data_batch_1.bin"), listing(target));
    }
}
