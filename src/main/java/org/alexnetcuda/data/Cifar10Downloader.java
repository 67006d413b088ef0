package org.alexnetcuda.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Fetches the CIFAR-10 binary archive and installs it as {@code dataDir/cifar-10-batches-bin/}, the layout the
 * archive itself has, which {@link Cifar10Reader} accepts given dataDir.
 *
 * <p>Steps: skip if dataDir already holds the complete set ({@link Cifar10Reader#isComplete}); download into a fresh
 * temporary directory {@code dataDir/.cifar10-download-*} (inside the target's parent, so on the same file system)
 * while computing the MD5; compare it with the published sum; unpack there ({@link TarGzExtractor}, which refuses
 * entries escaping the directory); check the unpacked set is complete; then rename it into place in one atomic
 * move. The temporary directory is deleted on every outcome (also on JVM shutdown, e.g. Ctrl-C), so a failed,
 * interrupted or corrupt download never leaves a partial dataset where the reader looks. Only a hard kill can leave
 * the temporary directory behind, which is then safe to delete.
 */
public final class Cifar10Downloader {
    public static final String DEFAULT_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    /** MD5 of cifar-10-binary.tar.gz as published with the dataset. */
    public static final String DEFAULT_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    static final String TEMP_PREFIX = ".cifar10-download-";
    private static final String ARCHIVE_NAME = "cifar-10-binary.tar.gz";

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
        if (Files.exists(target)) {
            throw new DataException(target + ": exists but is not a complete dataset; remove it and download again");
        }
        boolean createdDir = !Files.exists(dir);
        Path tmp = null;
        Thread cleanup = null;
        boolean ok = false;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempDirectory(dir, TEMP_PREFIX);
            Path tmpFinal = tmp;
            cleanup = new Thread(() -> deleteTree(tmpFinal), "cifar10-download-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);

            Path archive = tmp.resolve(ARCHIVE_NAME);
            String actual = fetch(archive);
            if (!actual.equals(md5)) {
                throw new DataException(ARCHIVE_NAME + " from " + url + ": MD5 mismatch: expected " + md5 + ", got " + actual);
            }
            Path unpacked = Files.createDirectory(tmp.resolve("unpacked"));
            TarGzExtractor.extract(archive, unpacked, ARCHIVE_NAME);
            Files.delete(archive);
            Path extracted = unpacked.resolve(Cifar10Reader.ARCHIVE_DIR);
            if (!Cifar10Reader.isCompleteBatchDir(extracted)) {
                throw new DataException(ARCHIVE_NAME + " from " + url + ": archive lacks a complete "
                        + Cifar10Reader.ARCHIVE_DIR + "/ (five data batches and the test batch)");
            }
            install(extracted, target);
            ok = true;
            return new Result(target, true);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot prepare the download directory: " + e, e);
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
            if (cleanup != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or will run; nothing to undo.
                }
            }
            if (!ok && createdDir) {
                try {
                    Files.deleteIfExists(dir); // only succeeds if empty
                } catch (IOException ignored) {
                    // Not ours to force.
                }
            }
        }
    }

    /** The atomic rename; a concurrent run that finished first is accepted if its result is complete. */
    private static void install(Path extracted, Path target) throws IOException {
        try {
            Files.move(extracted, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            if (!Cifar10Reader.isCompleteBatchDir(target)) {
                throw new DataException(target + ": appeared during the download and is not a complete dataset");
            }
        }
    }

    /** Streams url into file, returning the lowercase hex MD5 of the bytes received. */
    private String fetch(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
        HttpURLConnection conn = null;
        try {
            URLConnection c = URI.create(url).toURL().openConnection();
            if (!(c instanceof HttpURLConnection)) {
                throw new DataException("download " + url + " failed: not an http(s) URL");
            }
            conn = (HttpURLConnection) c;
            conn.setConnectTimeout(connectTimeoutMillis);
            conn.setReadTimeout(readTimeoutMillis);
            conn.setInstanceFollowRedirects(true);
            int status = conn.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                String reason = conn.getResponseMessage();
                throw new DataException("download " + url + " failed: HTTP " + status + (reason == null ? "" : " " + reason));
            }
            long expected = conn.getContentLengthLong();
            long received = 0;
            try (InputStream in = conn.getInputStream();
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest);
                 DownloadProgress bar = DownloadProgress.create(progress, "cifar-10 download", log)) {
                bar.start(expected);
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new DataException("download " + url + " interrupted");
                    }
                    out.write(buf, 0, n);
                    received += n;
                    bar.advance(n);
                }
            }
            if (expected >= 0 && received != expected) {
                throw new DataException("download " + url + " failed: connection closed after " + received + " of " + expected + " bytes");
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | IllegalArgumentException e) {
            throw new DataException("download " + url + " failed: " + e, e);
        } finally {
            if (conn != null) {
                conn.disconnect();
            }
        }
    }

    /** Deletes a directory tree, deepest first; best effort. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover temporary directory is harmless to the reader, and the original error matters more.
        }
    }
}
