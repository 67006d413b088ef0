package org.alexnetcuda.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 that plays every way a download can go wrong, so that no test needs the internet.
 * Paths: a body given with {@link #put}; {@code /status/N} answers status N; {@code /truncated} announces the archive
 * and closes after half of it; {@code /slow} drip-feeds it in about a second; {@code /silent} accepts and never
 * answers; {@code /stall} sends the headers and half the body, then nothing. Handlers run on their own threads so
 * that the stalling ones do not block the server, and {@link #close} interrupts them.
 */
public final class ArchiveServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final byte[] archive;

    /** Serves archive at /cifar.tar.gz and as the body of the misbehaving paths. */
    public ArchiveServer(byte[] archive) throws IOException {
        this.archive = archive;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/", this::serve);
        server.start();
        bodies.put("/cifar.tar.gz", archive);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void put(String path, byte[] body) {
        bodies.put(path, body);
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    /** A local address where nothing listens: a port bound, then released, so a connection there is refused. */
    public static String refusedUrl(String path) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private void serve(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        try (ex) {
            if (path.startsWith("/status/")) {
                ex.sendResponseHeaders(Integer.parseInt(path.substring(8)), -1);
            } else if (path.equals("/truncated")) {
                // Announce the whole archive, send half of it, then drop the connection.
                ex.sendResponseHeaders(200, archive.length);
                OutputStream out = ex.getResponseBody();
                out.write(archive, 0, archive.length / 2);
                out.flush();
            } else if (path.equals("/slow")) {
                // Drip-feed 1 KB every 20 ms (about 1 s for the archive) so the client can be interrupted mid-way.
                ex.sendResponseHeaders(200, archive.length);
                OutputStream out = ex.getResponseBody();
                for (int off = 0; off < archive.length; off += 1024) {
                    out.write(archive, off, Math.min(1024, archive.length - off));
                    out.flush();
                    Thread.sleep(20);
                }
            } else if (path.equals("/silent")) {
                Thread.sleep(Long.MAX_VALUE); // until close() interrupts: the client's read timeout must fire first
            } else if (path.equals("/stall")) {
                ex.sendResponseHeaders(200, archive.length);
                OutputStream out = ex.getResponseBody();
                out.write(archive, 0, archive.length / 2);
                out.flush();
                Thread.sleep(Long.MAX_VALUE);
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
}
