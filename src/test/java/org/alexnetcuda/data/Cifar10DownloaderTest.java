package org.alexnetcuda.data;

import static org.alexnetcuda.data.TestArchives.listing;
import static org.alexnetcuda.data.TestArchives.md5;
import static org.alexnetcuda.data.TestArchives.tarGz;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the downloader against an HTTP server on 127.0.0.1 serving archives built here; nothing leaves the machine. */
class Cifar10DownloaderTest {
    @TempDir
    Path tmp;

    private ArchiveServer server;
    private byte[] tarball;
    private String md5;
    private Path source;

    @BeforeEach
    void start() throws Exception {
        source = tmp.resolve("source");
        tarball = TestArchives.synthetic(source, 314);
        md5 = md5(tarball);
        server = new ArchiveServer(tarball);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return server.url(path);
    }

    private Cifar10Downloader downloader(String path, String sum) {
        return new Cifar10Downloader(url(path), sum).progress(DownloadProgress.Mode.NONE).timeouts(5000, 5000);
    }

    /** The download fails with exactly this one-line message and leaves the data dir as it was (here: absent). */
    private static void failsLeavingNothing(Cifar10Downloader d, Path dataDir, String message) throws IOException {
        DownloadException e = assertThrows(DownloadException.class, () -> d.download(dataDir));
        assertEquals(message, e.getMessage());
        assertEquals(List.of(), listing(dataDir));
        assertFalse(Files.exists(dataDir), "the data dir this call created is removed again");
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
        assertEquals(0, server.requests());

        Path flat = tmp.resolve("flat"); // batch files directly in the data dir also count
        SyntheticCifar.write(flat, 10, 5, 1);
        assertEquals(flat.toAbsolutePath(), downloader("/cifar.tar.gz", md5).download(flat).dir());
        assertEquals(0, server.requests());
    }

    @Test
    void wrongChecksumLeavesNothing() throws IOException {
        Path dataDir = tmp.resolve("data");
        String wrong = "0123456789abcdef0123456789abcdef";
        failsLeavingNothing(downloader("/cifar.tar.gz", wrong), dataDir, "download of " + url("/cifar.tar.gz")
                + " failed: the file received has MD5 " + md5 + ", expected " + wrong + " (damaged on the way, or not the CIFAR-10 archive)");

        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("keep.txt"), "mine");
        assertThrows(DownloadException.class, () -> downloader("/cifar.tar.gz", wrong).download(dataDir));
        assertEquals(List.of("keep.txt"), listing(dataDir), "an existing data dir keeps its files and gains none");
    }

    @Test
    void httpErrorsNameTheStatus() throws IOException {
        failsLeavingNothing(downloader("/status/404", md5), tmp.resolve("data"),
                "download of " + url("/status/404") + " failed: the server answered HTTP 404 Not Found");
        failsLeavingNothing(downloader("/status/500", md5), tmp.resolve("data"),
                "download of " + url("/status/500") + " failed: the server answered HTTP 500 Internal Server Error");
    }

    @Test
    void truncatedBodyFailsCleanly() throws IOException {
        Path dataDir = tmp.resolve("data");
        Files.createDirectories(dataDir);
        DownloadException e = assertThrows(DownloadException.class, () -> downloader("/truncated", md5).download(dataDir));
        // How the cut shows (an early end of the stream, or an error reading it) depends on timing; the words do not.
        String prefix = "download of " + url("/truncated") + " failed: the transfer was cut short after ";
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        assertTrue(e.getMessage().substring(prefix.length()).matches("\\d+ of " + tarball.length + " bytes.*"), e.getMessage());
        assertEquals(List.of(), listing(dataDir));
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException {
        Cifar10Downloader d = new Cifar10Downloader(url("/silent"), md5).progress(DownloadProgress.Mode.NONE).timeouts(5000, 300);
        long t0 = System.nanoTime();
        failsLeavingNothing(d, tmp.resolve("data"), "download of " + url("/silent") + " failed: 127.0.0.1:"
                + url("").replaceAll(".*:", "") + " accepted the connection but sent no reply within 300 ms (read timeout)");
        assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "the read timeout, not the server, ended the wait");
    }

    @Test
    void aTransferThatStallsTimesOut() throws IOException {
        Cifar10Downloader d = new Cifar10Downloader(url("/stall"), md5).progress(DownloadProgress.Mode.NONE).timeouts(5000, 300);
        failsLeavingNothing(d, tmp.resolve("data"), "download of " + url("/stall") + " failed: the transfer stalled after "
                + tarball.length / 2 + " of " + tarball.length + " bytes: nothing for 300 ms (read timeout)");
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
        assertTrue(thrown.get() instanceof DownloadException, String.valueOf(thrown.get()));
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
    void aRefusedConnectionIsNamed() throws IOException {
        String refused = ArchiveServer.refusedUrl("/cifar.tar.gz");
        String hostPort = refused.substring("http://".length(), refused.lastIndexOf('/'));
        Cifar10Downloader d = new Cifar10Downloader(refused, md5).progress(DownloadProgress.Mode.NONE).timeouts(5000, 5000);
        failsLeavingNothing(d, tmp.resolve("d"), "download of " + refused + " failed: connection refused by " + hostPort
                + " (nothing listens there)");
    }

    @Test
    void anUnresolvableHostIsNamed() throws IOException {
        // .invalid is reserved (RFC 2606, RFC 6761): it never resolves, with or without a network.
        String unknown = "http://cifar10.invalid/cifar-10-binary.tar.gz";
        Cifar10Downloader d = new Cifar10Downloader(unknown, md5).progress(DownloadProgress.Mode.NONE).timeouts(5000, 5000);
        failsLeavingNothing(d, tmp.resolve("d"), "download of " + unknown
                + " failed: cannot resolve the host cifar10.invalid (no network?)");
    }

    @Test
    void entriesEscapingTheTargetAreRefused() throws Exception {
        byte[] evil = tarGz(Map.of("../escaped.txt", "x"), source, Cifar10Reader.ARCHIVE_DIR + "/");
        server.put("/evil.tar.gz", evil);
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
        server.put("/partial.tar.gz", body);
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
        assertTrue(e.getMessage().endsWith("exists but is not a complete dataset; remove it and try again"), e.getMessage());
        assertEquals(0, server.requests());
    }

    @Test
    void systemPropertiesSetTheAddressAndTimeoutButNotTheChecksum() {
        System.setProperty(Cifar10Downloader.URL_PROPERTY, url("/cifar.tar.gz"));
        System.setProperty(Cifar10Downloader.TIMEOUT_PROPERTY, "300");
        try {
            Cifar10Downloader d = Cifar10Downloader.fromSystemProperties().progress(DownloadProgress.Mode.NONE);
            assertEquals(url("/cifar.tar.gz"), d.url());
            // The synthetic archive is not the published one: the published MD5 is still what counts.
            DownloadException e = assertThrows(DownloadException.class, () -> d.download(tmp.resolve("data")));
            assertTrue(e.getMessage().contains("expected " + Cifar10Downloader.DEFAULT_MD5), e.getMessage());
            System.setProperty(Cifar10Downloader.TIMEOUT_PROPERTY, "soon");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, Cifar10Downloader::fromSystemProperties);
            assertEquals("alexnet.download.timeoutMillis must be a positive number of milliseconds, not 'soon'", bad.getMessage());
        } finally {
            System.clearProperty(Cifar10Downloader.URL_PROPERTY);
            System.clearProperty(Cifar10Downloader.TIMEOUT_PROPERTY);
        }
        assertEquals(Cifar10Downloader.DEFAULT_URL, Cifar10Downloader.fromSystemProperties().url());
    }
}
