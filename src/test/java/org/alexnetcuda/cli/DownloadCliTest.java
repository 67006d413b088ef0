package org.alexnetcuda.cli;

import static org.alexnetcuda.data.TestArchives.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.alexnetcuda.data.ArchiveServer;
import org.alexnetcuda.data.Cifar10Archive;
import org.alexnetcuda.data.Cifar10Downloader;
import org.alexnetcuda.data.Cifar10Reader;
import org.alexnetcuda.data.SyntheticCifar;
import org.alexnetcuda.data.TestArchives;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --download} where the download cannot succeed, as a user without a network meets it: exit 1, one line
 * naming the cause and the way round it, nothing in the data folder a later run would read; and that way round,
 * {@code --data-dir} given the archive. The address comes from {@link Cifar10Downloader#URL_PROPERTY}, pointed at a
 * server on 127.0.0.1, a released local port or a reserved name, never the internet.
 */
class DownloadCliTest {
    private static final String ADVICE = "; instead, fetch cifar-10-binary.tar.gz by other means, check that its MD5 is "
            + "c32a1d4ab5d03f1284b67883e8d87530, and pass the file or its folder with --data-dir";

    @TempDir
    Path tmp;

    private ArchiveServer server;
    private byte[] synthetic;

    @BeforeEach
    void start() throws IOException {
        synthetic = TestArchives.synthetic(tmp.resolve("source"), 3);
        server = new ArchiveServer(synthetic);
    }

    @AfterEach
    void stop() {
        server.close();
        System.clearProperty(Cifar10Downloader.URL_PROPERTY);
        System.clearProperty(Cifar10Downloader.TIMEOUT_PROPERTY);
    }

    private CliTest.Run train(Path dataDir, String... more) {
        return train(dataDir, tmp.resolve("run"), more);
    }

    private CliTest.Run train(Path dataDir, Path runDir, String... more) {
        String[] base = {"train", "--device", "cpu", "--data-dir", dataDir.toString(), "--run-dir", runDir.toString(),
                "--input-size", "67", "--widths", "4,8,8,8,8,16", "--epochs", "1", "--batch-size", "4"};
        return CliTest.run(RunCliTest.args(base, more));
    }

    /** train --download from url: exit 1, exactly "error: download of URL failed: CAUSE; ADVICE", nothing left. */
    private void downloadFails(String url, String cause) throws IOException {
        System.setProperty(Cifar10Downloader.URL_PROPERTY, url);
        System.setProperty(Cifar10Downloader.TIMEOUT_PROPERTY, "300");
        Path data = tmp.resolve("data");
        CliTest.Run r = train(data, "--download");
        assertEquals(ExitCodes.FAILURE, r.code(), () -> "exit code; stderr: " + r.err());
        assertEquals(List.of("error: download of " + url + " failed: " + cause + ADVICE), r.err().lines().toList(),
                "one line on stderr, no stack trace");
        assertFalse(Files.exists(data), "the data folder this run created is removed again: " + listingOf(data));
        assertFalse(Files.exists(tmp.resolve("run")), "no run folder for a run that never started");

        // Into a folder that exists: it gains nothing, so a later run finds no data rather than half of it.
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        CliTest.Run again = train(existing, "--download");
        assertEquals(ExitCodes.FAILURE, again.code(), again.err());
        assertEquals(List.of(), listing(existing));
        CliTest.Run later = train(existing);
        assertEquals(ExitCodes.USAGE, later.code(), later.err());
        assertTrue(later.err().contains("data_batch_1.bin: not found"), later.err());
    }

    private static String listingOf(Path dir) {
        try {
            return listing(dir).toString();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void unknownHost() throws IOException {
        downloadFails("http://cifar10.invalid/cifar-10-binary.tar.gz", "cannot resolve the host cifar10.invalid (no network?)");
    }

    @Test
    void connectionRefused() throws IOException {
        String url = ArchiveServer.refusedUrl("/cifar-10-binary.tar.gz");
        String hostPort = url.substring("http://".length(), url.lastIndexOf('/'));
        downloadFails(url, "connection refused by " + hostPort + " (nothing listens there)");
    }

    @Test
    void httpNotFound() throws IOException {
        downloadFails(server.url("/status/404"), "the server answered HTTP 404 Not Found");
    }

    @Test
    void httpServerError() throws IOException {
        downloadFails(server.url("/status/500"), "the server answered HTTP 500 Internal Server Error");
    }

    @Test
    void transferCutShort() throws IOException {
        System.setProperty(Cifar10Downloader.URL_PROPERTY, server.url("/truncated"));
        CliTest.Run r = train(tmp.resolve("data"), "--download");
        assertEquals(ExitCodes.FAILURE, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        // How the cut shows (an early end of the stream, or an error reading it) depends on timing; the words do not.
        assertTrue(lines.get(0).matches("error: download of " + java.util.regex.Pattern.quote(server.url("/truncated"))
                + " failed: the transfer was cut short after \\d+ of " + synthetic.length + " bytes.*"), lines.get(0));
        assertTrue(lines.get(0).endsWith(ADVICE), lines.get(0));
        assertFalse(Files.exists(tmp.resolve("data")));
    }

    @Test
    void checksumMismatch() throws IOException {
        // The synthetic archive arrives whole, but it is not the published one.
        downloadFails(server.url("/cifar.tar.gz"), "the file received has MD5 " + TestArchives.md5(synthetic)
                + ", expected c32a1d4ab5d03f1284b67883e8d87530 (damaged on the way, or not the CIFAR-10 archive)");
    }

    @Test
    void serverNeverAnswers() throws IOException {
        downloadFails(server.url("/silent"), "127.0.0.1:" + server.url("").replaceAll(".*:", "")
                + " accepted the connection but sent no reply within 300 ms (read timeout)");
    }

    @Test
    void transferStalls() throws IOException {
        downloadFails(server.url("/stall"), "the transfer stalled after " + synthetic.length / 2 + " of " + synthetic.length
                + " bytes: nothing for 300 ms (read timeout)");
    }

    @Test
    void aBadTimeoutSettingIsBadUsage() {
        System.setProperty(Cifar10Downloader.TIMEOUT_PROPERTY, "0");
        CliTest.Run r = train(tmp.resolve("data"), "--download");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals(List.of("error: alexnet.download.timeoutMillis must be a positive number of milliseconds, not '0'"),
                r.err().lines().toList());
    }

    @Test
    void theArchiveItselfIsChecked() throws IOException {
        // Only the published archive passes; this one is synthetic, so the check must refuse it as bad input (exit 2).
        Path archive = Files.createDirectories(tmp.resolve("dl")).resolve(Cifar10Archive.FILE_NAME);
        Files.write(archive, synthetic);
        String expected = "error: " + archive.toAbsolutePath() + ": MD5 is " + TestArchives.md5(synthetic)
                + ", expected c32a1d4ab5d03f1284b67883e8d87530 (damaged, or not the CIFAR-10 binary archive); fetch cifar-10-binary.tar.gz again";
        for (Path given : List.of(archive, archive.getParent())) {
            CliTest.Run r = train(given);
            assertEquals(ExitCodes.USAGE, r.code(), r.err());
            assertEquals(List.of(expected), r.err().lines().toList());
            assertEquals(List.of(Cifar10Archive.FILE_NAME), listing(archive.getParent()), "nothing unpacked beside it");
        }
        // With --download too, the local archive is used and the network is not tried.
        System.setProperty(Cifar10Downloader.URL_PROPERTY, server.url("/cifar.tar.gz"));
        CliTest.Run r = train(archive.getParent(), "--download");
        assertEquals(List.of(expected), r.err().lines().toList());
        assertEquals(0, server.requests());
    }

    @Test
    void aMissingArchiveIsNamedAsAFile() {
        Path missing = tmp.resolve("nowhere").resolve(Cifar10Archive.FILE_NAME);
        System.setProperty(Cifar10Downloader.URL_PROPERTY, server.url("/cifar.tar.gz"));
        CliTest.Run r = train(missing, "--download");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals(List.of("error: " + missing + ": no such file"), r.err().lines().toList());
        assertFalse(Files.exists(tmp.resolve("nowhere")), "no folder named like the archive is created");
        assertEquals(0, server.requests());
    }

    @Test
    void theArchiveIsReadFromTheSetUnpackedBesideIt() throws IOException {
        // What an earlier --data-dir cifar-10-binary.tar.gz left: the set next to the archive, read from there.
        Path dl = tmp.resolve("dl");
        SyntheticCifar.write(dl.resolve(Cifar10Reader.ARCHIVE_DIR), 8, 4, 5);
        Path archive = dl.resolve(Cifar10Archive.FILE_NAME);
        Files.write(archive, new byte[] {1, 2, 3}); // not read again once its set is there
        for (Path given : List.of(archive, dl)) {
            CliTest.Run r = train(given, tmp.resolve("run-" + given.getFileName()));
            assertEquals(ExitCodes.OK, r.code(), r.err());
            assertTrue(r.out().contains("Epoch 1/1"), r.out());
        }
    }
}
