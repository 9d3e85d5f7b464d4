package io.emostream.topology.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

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
 * and slow clients never hold a stream thread. The query API and other pages register their paths with
 * {@link #route}, behind the token when one is set; {@code /metrics} and the health pages with {@link #routeOps},
 * open unless {@code http.auth.ops.open} is false. Every path is held to the request limits ({@link HttpLimits}).
 * With a key store it speaks HTTPS only.
 */
public final class HttpApiServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpSettings settings;
    private final Filter limits;
    private final Filter authentication;

    private HttpApiServer(HttpServer server, ExecutorService executor, HttpSettings settings) {
        this.server = server;
        this.executor = executor;
        this.settings = settings;
        this.limits = new RequestLimits(settings.limits());
        this.authentication = settings.security().authenticates()
                ? new TokenAuthentication(settings.security().token()) : null;
    }

    /**
     * Binds and starts serving; fails with a message naming the address when it is taken.
     *
     * @throws org.apache.kafka.common.config.ConfigException when the TLS key store cannot be used
     */
    public static HttpApiServer start(HttpSettings settings) {
        InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port());
        HttpServer server;
        try {
            if (settings.security().tls()) {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.server(settings.security())));
                server = https;
            } else {
                server = HttpServer.create(address, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for HTTP on " + settings.bindAddress() + ":"
                    + settings.port() + " (" + e.getMessage() + "); set " + HttpSettings.HTTP_PORT
                    + " to a free port", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(settings.threads(), threads());
        server.setExecutor(executor);
        server.start();
        return new HttpApiServer(server, executor, settings);
    }

    /**
     * Serves every request whose path starts with {@code pathPrefix} with {@code handler}, to holders of the token
     * when one is set.
     *
     * @throws org.apache.kafka.common.config.ConfigException when the server is reachable from other machines
     *                                                        and no token is set
     */
    public HttpApiServer route(String pathPrefix, HttpHandler handler) {
        settings.requireTokenWhenPublic();
        return add(pathPrefix, handler, true);
    }

    /** Like {@link #route}, for the operations pages: open to all unless {@code http.auth.ops.open} is false. */
    public HttpApiServer routeOps(String pathPrefix, HttpHandler handler) {
        return add(pathPrefix, handler, !settings.security().opsOpen());
    }

    private HttpApiServer add(String pathPrefix, HttpHandler handler, boolean guarded) {
        HttpContext context = server.createContext(pathPrefix, handler);
        context.getFilters().add(limits);
        if (guarded && authentication != null) context.getFilters().add(authentication);
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code https} with a key store, else {@code http}. */
    public String scheme() {
        return settings.security().tls() ? "https" : "http";
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
