package io.emostream.topology.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process's one HTTP server (the JDK's {@code com.sun.net.httpserver}), on its own thread pool so that requests
 * and slow clients never hold a stream thread. The query API, {@code /metrics} and the health pages register their
 * paths with {@link #route}.
 */
public final class HttpApiServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private HttpApiServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds and starts serving; fails with a message naming the address when it is taken. */
    public static HttpApiServer start(HttpSettings settings) {
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port());
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for HTTP on " + settings.bindAddress() + ":"
                    + settings.port() + " (" + e.getMessage() + "); set " + HttpSettings.HTTP_PORT
                    + " to a free port", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(settings.threads(), threads());
        server.setExecutor(executor);
        server.start();
        return new HttpApiServer(server, executor);
    }

    /** Serves every request whose path starts with {@code pathPrefix} with {@code handler}. */
    public HttpApiServer route(String pathPrefix, HttpHandler handler) {
        server.createContext(pathPrefix, handler);
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "emostream-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
