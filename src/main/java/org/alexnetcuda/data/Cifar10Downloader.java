package org.alexnetcuda.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Fetches the CIFAR-10 binary archive and installs it as {@code dataDir/cifar-10-batches-bin/}, the layout the
 * archive itself has, which {@link Cifar10Reader} accepts given dataDir.
 *
 * <p>Steps: skip if dataDir already holds the complete set ({@link Cifar10Reader#isComplete}); download into a
 * {@link StagingDir} inside dataDir while computing the MD5; compare it with the published sum; then
 * {@link Cifar10Archive#unpack unpack and rename into place}. The staging folder is deleted on every outcome (also on
 * JVM shutdown, e.g. Ctrl-C), so a failed, interrupted or corrupt download never leaves a partial dataset where the
 * reader looks. Only a hard kill can leave the staging folder behind, which is then safe to delete.
 *
 * <p>Failures on the way are {@link DownloadException}s whose message names the cause in words (host not resolved,
 * connection refused, HTTP status, transfer cut short or stalled, MD5 mismatch) rather than a Java exception name,
 * since the usual reader of it is someone on a machine without a network.
 */
public final class Cifar10Downloader {
    public static final String DEFAULT_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    /** MD5 of cifar-10-binary.tar.gz as published with the dataset. */
    public static final String DEFAULT_MD5 = Cifar10Archive.MD5;
    /**
     * System property: another address for the same archive (a mirror, or a test server). The MD5 checked stays the
     * published one, so a mirror cannot hand over anything else.
     */
    public static final String URL_PROPERTY = "alexnet.download.url";
    /** System property: connect and read timeout in milliseconds (tests make it short). */
    public static final String TIMEOUT_PROPERTY = "alexnet.download.timeoutMillis";
    static final String TEMP_PREFIX = StagingDir.PREFIX;

    /** Where the dataset is and whether this call downloaded it (false: it was already there). */
    public record Result(Path dir, boolean downloaded) {
    }

    private final String url;
    private final String md5;
    private DownloadProgress.Mode progress = DownloadProgress.Mode.AUTO;
    private PrintStream log = System.err;
    private int connectTimeoutMillis = 30_000;
    private int readTimeoutMillis = 60_000;

    public Cifar10Downloader() {
        this(DEFAULT_URL, DEFAULT_MD5);
    }

    /** A downloader for another address and checksum (a mirror, or a test server). */
    public Cifar10Downloader(String url, String md5) {
        this.url = url;
        this.md5 = md5.toLowerCase(Locale.ROOT);
    }

    /** The published archive from {@link #URL_PROPERTY} or the canonical address, timeouts from {@link #TIMEOUT_PROPERTY}. */
    public static Cifar10Downloader fromSystemProperties() {
        Cifar10Downloader d = new Cifar10Downloader(System.getProperty(URL_PROPERTY, DEFAULT_URL), DEFAULT_MD5);
        String t = System.getProperty(TIMEOUT_PROPERTY);
        if (t != null) {
            int ms;
            try {
                ms = Integer.parseInt(t.strip());
            } catch (NumberFormatException e) {
                ms = -1;
            }
            if (ms <= 0) {
                throw new IllegalArgumentException(TIMEOUT_PROPERTY + " must be a positive number of milliseconds, not '" + t + "'");
            }
            d.timeouts(ms, ms);
        }
        return d;
    }

    /** Progress display (default AUTO: a bar on a console, plain lines otherwise). */
    public Cifar10Downloader progress(DownloadProgress.Mode mode) {
        this.progress = mode;
        return this;
    }

    /** Where progress lines and notes go (default System.err). */
    public Cifar10Downloader log(PrintStream out) {
        this.log = out;
        return this;
    }

    public Cifar10Downloader timeouts(int connectMillis, int readMillis) {
        this.connectTimeoutMillis = connectMillis;
        this.readTimeoutMillis = readMillis;
        return this;
    }

    public String url() {
        return url;
    }

    /** Makes sure dataDir holds the complete dataset, downloading it if needed. */
    public Result download(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (Cifar10Reader.isCompleteBatchDir(dir)) {
            return new Result(dir, false);
        }
        Path target = dir.resolve(Cifar10Reader.ARCHIVE_DIR);
        if (Cifar10Reader.isCompleteBatchDir(target)) {
            return new Result(target, false);
        }
        Cifar10Archive.refuseIncomplete(target);
        StagingDir staging;
        try {
            staging = StagingDir.in(dir);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot prepare the download directory: " + e, e);
        }
        try (staging) {
            Path archive = staging.path().resolve(Cifar10Archive.FILE_NAME);
            String actual = fetch(archive);
            if (!actual.equals(md5)) {
                throw failed("the file received has MD5 " + actual + ", expected " + md5 + " (damaged on the way, or not the CIFAR-10 archive)");
            }
            Cifar10Archive.unpack(archive, staging, target, Cifar10Archive.FILE_NAME + " from " + url);
            staging.succeeded();
            return new Result(target, true);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot install the downloaded dataset: " + e.getMessage(), e);
        }
    }

    /** What a connection was doing when it failed, so that a timeout or an I/O error can be told in words. */
    private enum Phase { CONNECT, ANSWER, BODY }

    /** Streams url into file, returning the lowercase hex MD5 of the bytes received. */
    private String fetch(Path file) {
        MessageDigest digest = Cifar10Archive.newMd5();
        URI uri;
        URLConnection c;
        try {
            uri = URI.create(url);
            c = uri.toURL().openConnection();
        } catch (IllegalArgumentException | IOException e) {
            throw new DataException(url + ": not a valid download URL: " + e.getMessage(), e);
        }
        if (!(c instanceof HttpURLConnection conn)) {
            throw new DataException(url + ": not an http(s) URL");
        }
        String hostPort = uri.getHost() + ":" + (uri.getPort() >= 0 ? uri.getPort() : conn.getURL().getDefaultPort());
        Phase phase = Phase.CONNECT;
        long expected = -1;
        long received = 0;
        OutputStream opened;
        try {
            opened = Files.newOutputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the download: " + e.getMessage(), e);
        }
        try (OutputStream out = opened) {
            conn.setConnectTimeout(connectTimeoutMillis);
            conn.setReadTimeout(readTimeoutMillis);
            conn.setInstanceFollowRedirects(true);
            conn.connect();
            phase = Phase.ANSWER;
            int status = conn.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                String reason = conn.getResponseMessage();
                throw failed("the server answered HTTP " + status + (reason == null || reason.isBlank() ? "" : " " + reason.strip()));
            }
            phase = Phase.BODY;
            expected = conn.getContentLengthLong();
            try (InputStream in = conn.getInputStream();
                 DownloadProgress bar = DownloadProgress.create(progress, "cifar-10 download", log)) {
                bar.start(expected);
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new DownloadException("download " + url + " interrupted");
                    }
                    digest.update(buf, 0, n);
                    write(out, buf, n, file);
                    received += n;
                    bar.advance(n);
                }
            }
            if (expected >= 0 && received != expected) {
                throw failed("the transfer was cut short after " + received + " of " + expected + " bytes");
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw failed(cause(e, phase, hostPort, received, expected), e);
        } finally {
            conn.disconnect();
        }
    }

    /** A local write error is the disk's fault, not the network's: kept apart so it is not reported as a cut transfer. */
    private static void write(OutputStream out, byte[] buf, int n, Path file) {
        try {
            out.write(buf, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the download: " + e.getMessage() + " (disk full?)", e);
        }
    }

    /** The words for a network failure: what a user without a network, or behind a firewall, can act on. */
    private String cause(IOException e, Phase phase, String hostPort, long received, long expected) {
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        if (e instanceof UnknownHostException) {
            return "cannot resolve the host " + host + " (no network?)";
        }
        if (e instanceof ConnectException && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("refused")) {
            return "connection refused by " + hostPort + " (nothing listens there)";
        }
        if (e instanceof NoRouteToHostException || e instanceof ConnectException) {
            return "cannot connect to " + hostPort + " (" + e.getMessage() + "; no network?)";
        }
        if (e instanceof SocketTimeoutException) {
            return switch (phase) {
                case CONNECT -> "no answer from " + hostPort + " within " + duration(connectTimeoutMillis)
                        + " (connect timeout; no network, or a firewall?)";
                case ANSWER -> hostPort + " accepted the connection but sent no reply within " + duration(readTimeoutMillis)
                        + " (read timeout)";
                case BODY -> "the transfer stalled after " + bytes(received, expected) + ": nothing for "
                        + duration(readTimeoutMillis) + " (read timeout)";
            };
        }
        if (phase == Phase.BODY) {
            return "the transfer was cut short after " + bytes(received, expected) + " (" + e.getMessage() + ")";
        }
        return "I/O error talking to " + hostPort + ": " + e;
    }

    private DownloadException failed(String cause) {
        return new DownloadException("download of " + url + " failed: " + cause);
    }

    private DownloadException failed(String cause, Throwable e) {
        return new DownloadException("download of " + url + " failed: " + cause, e);
    }

    private static String bytes(long received, long expected) {
        return received + (expected >= 0 ? " of " + expected : "") + " bytes";
    }

    private static String duration(int millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
