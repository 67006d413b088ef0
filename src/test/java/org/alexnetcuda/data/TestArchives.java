package org.alexnetcuda.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Archives in the published layout built from synthetic batches, and the checks the download tests share. */
public final class TestArchives {
    private TestArchives() {
    }

    /** A .tar.gz of a small synthetic set under cifar-10-batches-bin/, like the published archive. */
    public static byte[] synthetic(Path scratch, long seed) throws IOException {
        SyntheticCifar.write(scratch, 10, 5, seed);
        return tarGz(Map.of(), scratch, Cifar10Reader.ARCHIVE_DIR + "/");
    }

    /** A .tar.gz of every file in dir under prefix, plus extra text entries (name -> content) first. */
    public static byte[] tarGz(Map<String, String> extra, Path dir, String prefix) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, String> x : extra.entrySet()) {
                byte[] content = x.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(x.getKey(), true); // preserve the name as given
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
            tar.putArchiveEntry(new TarArchiveEntry(prefix));
            tar.closeArchiveEntry();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    TarArchiveEntry e = new TarArchiveEntry(f.toFile(), prefix + f.getFileName());
                    tar.putArchiveEntry(e);
                    tar.write(Files.readAllBytes(f));
                    tar.closeArchiveEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    public static String md5(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything under dir, relative, sorted, for "nothing left behind" checks; empty when dir does not exist. */
    public static List<String> listing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }
}
