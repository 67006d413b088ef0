package org.alexnetcuda.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the downloader against an HTTP server on 127.0.0.1 serving archives built here; nothing leaves the machine. */
class Cifar10DownloaderTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private byte[] tarball;
    private String md5;
    private Path source;

    @BeforeEach
    void start() throws Exception {
        source = tmp.resolve("source");
        SyntheticCifar.write(source, 10, 5, 314);
        tarball = tarGz(Map.of(), source, Cifar10Reader.ARCHIVE_DIR + "/");
        md5 = md5(tarball);

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
        bodies.put("/cifar.tar.gz", tarball);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        try (ex) {
            if (path.startsWith("/status/")) {
                ex.sendResponseHeaders(Integer.parseInt(path.substring(8)), -1);
            } else if (path.equals("/truncated")) {
                // Announce the whole archive, send half of it, then drop the connection.
                ex.sendResponseHeaders(200, tarball.length);
                OutputStream out = ex.getResponseBody();
                out.write(tarball, 0, tarball.length / 2);
                out.flush();
            } else if (path.equals("/slow")) {
                // Drip-feed 1 KB every 20 ms (about 1 s for the archive) so the client can be interrupted mid-way.
                ex.sendResponseHeaders(200, tarball.length);
                OutputStream out = ex.getResponseBody();
                for (int off = 0; off < tarball.length; off += 1024) {
                    out.write(tarball, off, Math.min(1024, tarball.length - off));
                    out.flush();
                    Thread.sleep(20);
                }
            } else if (bodies.containsKey(path)) {
                byte[] body = bodies.get(path);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        } catch (IOException expectedForTruncated) {
            // Closing a fixed-length response early throws here and resets the connection, which is the point.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private Cifar10Downloader downloader(String path, String sum) {
        return new Cifar10Downloader(url(path), sum).progress(DownloadProgress.Mode.NONE).timeouts(5000, 5000);
    }

    /** Everything under dir, relative, for "nothing left behind" checks. */
    private static List<String> listing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void downloadsVerifiesAndInstalls() throws IOException {
        Path dataDir = tmp.resolve("data").resolve("cifar10");
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        Cifar10Downloader.Result r = new Cifar10Downloader(url("/cifar.tar.gz"), md5.toUpperCase())
                .progress(DownloadProgress.Mode.LINES).log(new PrintStream(lines, true, StandardCharsets.UTF_8))
                .download(dataDir);
        assertTrue(r.downloaded());
        assertEquals(dataDir.toAbsolutePath().resolve(Cifar10Reader.ARCHIVE_DIR), r.dir());
        assertTrue(lines.toString(StandardCharsets.UTF_8).contains("received"), lines.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(Cifar10Reader.ARCHIVE_DIR), listing(dataDir).stream().filter(s -> !s.contains("/")).toList(),
                "only the dataset is left in the data dir");
        for (String f : List.of("data_batch_1.bin", "data_batch_5.bin", "test_batch.bin", "batches.meta.txt")) {
            assertArrayEquals(Files.readAllBytes(source.resolve(f)), Files.readAllBytes(r.dir().resolve(f)), f);
        }
        Cifar10Reader.Splits s = Cifar10Reader.read(dataDir, Cifar10Reader.ALL, Cifar10Reader.ALL);
        assertEquals(10, s.train().size());
        assertEquals(5, s.test().size());
    }

    @Test
    void anExistingCompleteDatasetIsNotDownloadedAgain() {
        Path dataDir = tmp.resolve("data");
        SyntheticCifar.write(dataDir.resolve(Cifar10Reader.ARCHIVE_DIR), 10, 5, 1);
        Cifar10Downloader.Result r = downloader("/cifar.tar.gz", md5).download(dataDir);
        assertFalse(r.downloaded());
        assertEquals(0, requests.get());

        Path flat = tmp.resolve("flat"); // batch files directly in the data dir also count
        SyntheticCifar.write(flat, 10, 5, 1);
        assertEquals(flat.toAbsolutePath(), downloader("/cifar.tar.gz", md5).download(flat).dir());
        assertEquals(0, requests.get());
    }

    @Test
    void wrongChecksumLeavesNothing() throws IOException {
        Path dataDir = tmp.resolve("data");
        String wrong = "0123456789abcdef0123456789abcdef";
        DataException e = assertThrows(DataException.class, () -> downloader("/cifar.tar.gz", wrong).download(dataDir));
        assertEquals("cifar-10-binary.tar.gz from " + url("/cifar.tar.gz") + ": MD5 mismatch: expected " + wrong + ", got " + md5,
                e.getMessage());
        assertFalse(Files.exists(dataDir), "the data dir this call created is removed again");

        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("keep.txt"), "mine");
        assertThrows(DataException.class, () -> downloader("/cifar.tar.gz", wrong).download(dataDir));
        assertEquals(List.of("keep.txt"), listing(dataDir), "an existing data dir keeps its files and gains none");
    }

    @Test
    void httpErrorsNameTheUrlAndStatus() throws IOException {
        Path dataDir = tmp.resolve("data");
        for (int status : new int[] {404, 500}) {
            DataException e = assertThrows(DataException.class, () -> downloader("/status/" + status, md5).download(dataDir));
            assertTrue(e.getMessage().startsWith("download " + url("/status/" + status) + " failed: HTTP " + status), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertEquals(List.of(), listing(dataDir));
        }
    }

    @Test
    void truncatedBodyFailsCleanly() throws IOException {
        Path dataDir = tmp.resolve("data");
        Files.createDirectories(dataDir);
        DataException e = assertThrows(DataException.class, () -> downloader("/truncated", md5).download(dataDir));
        assertTrue(e.getMessage().startsWith("download " + url("/truncated") + " failed"), e.getMessage());
        assertEquals(List.of(), listing(dataDir));
    }

    @Test
    void interruptedDownloadLeavesNothing() throws Exception {
        Path dataDir = tmp.resolve("data");
        Files.createDirectories(dataDir);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(lines, true, StandardCharsets.UTF_8);
        Cifar10Downloader d = new Cifar10Downloader(url("/slow"), md5).progress(DownloadProgress.Mode.LINES).log(log).timeouts(5000, 5000);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                d.download(dataDir);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        // Wait until the first bytes have arrived (the temporary directory holds a partial archive), then interrupt.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!lines.toString(StandardCharsets.UTF_8).contains("%") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, listing(dataDir).stream().filter(p -> p.startsWith(Cifar10Downloader.TEMP_PREFIX) && !p.contains("/")).count());
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertTrue(thrown.get() instanceof DataException, String.valueOf(thrown.get()));
        assertEquals("download " + url("/slow") + " interrupted", thrown.get().getMessage());
        assertEquals(List.of(), listing(dataDir));
    }

    @Test
    void progressLinesEveryTenPercent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DownloadProgress p = DownloadProgress.create(DownloadProgress.Mode.LINES, "t", new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            p.start(1000L << 20);
            for (int i = 0; i < 100; i++) {
                p.advance(10L << 20);
            }
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(11, lines.size(), lines.toString());
        assertEquals("t: 1000.0 MiB", lines.get(0));
        assertEquals("t: 10% (100.0 of 1000.0 MiB)", lines.get(1));
        assertEquals("t: 90% (900.0 of 1000.0 MiB)", lines.get(9));
        assertEquals("t: 1000.0 MiB received", lines.get(10));
    }

    @Test
    void unreachableServerSaysUrlAndCause() {
        server.stop(0); // nothing listens on that port any more
        DataException e = assertThrows(DataException.class, () -> downloader("/cifar.tar.gz", md5).download(tmp.resolve("d")));
        assertTrue(e.getMessage().startsWith("download " + url("/cifar.tar.gz") + " failed: java.net.ConnectException"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("d")));
    }

    @Test
    void entriesEscapingTheTargetAreRefused() throws Exception {
        byte[] evil = tarGz(Map.of("../escaped.txt", "x"), source, Cifar10Reader.ARCHIVE_DIR + "/");
        bodies.put("/evil.tar.gz", evil);
        Path dataDir = tmp.resolve("deep").resolve("data");
        DataException e = assertThrows(DataException.class, () -> downloader("/evil.tar.gz", md5(evil)).download(dataDir));
        assertEquals("cifar-10-binary.tar.gz: archive entry ../escaped.txt escapes the target directory", e.getMessage());
        assertEquals(List.of(), listing(tmp.resolve("deep")));
    }

    @Test
    void anArchiveWithoutTheFullSetIsRejected() throws Exception {
        Path partial = tmp.resolve("partial");
        SyntheticCifar.write(partial, 4, 2, 2, 2); // only data_batch_1..2
        byte[] body = tarGz(Map.of(), partial, Cifar10Reader.ARCHIVE_DIR + "/");
        bodies.put("/partial.tar.gz", body);
        Path dataDir = tmp.resolve("data");
        DataException e = assertThrows(DataException.class, () -> downloader("/partial.tar.gz", md5(body)).download(dataDir));
        assertTrue(e.getMessage().contains("lacks a complete cifar-10-batches-bin/"), e.getMessage());
        assertFalse(Files.exists(dataDir));
    }

    @Test
    void anIncompleteExistingTargetIsNotOverwritten() throws IOException {
        Path dataDir = tmp.resolve("data");
        Path target = Files.createDirectories(dataDir.resolve(Cifar10Reader.ARCHIVE_DIR));
        Files.write(target.resolve("data_batch_1.bin"), new byte[Cifar10Dataset.RECORD_BYTES]);
        DataException e = assertThrows(DataException.class, () -> downloader("/cifar.tar.gz", md5).download(dataDir));
        assertTrue(e.getMessage().endsWith("exists but is not a complete dataset; remove it and download again"), e.getMessage());
        assertEquals(0, requests.get());
    }

    /** A .tar.gz of every file in dir under prefix, plus extra text entries (name -> content) first. */
    private static byte[] tarGz(Map<String, String> extra, Path dir, String prefix) throws IOException {
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

    private static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }
}
