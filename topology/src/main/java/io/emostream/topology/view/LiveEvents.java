package io.emostream.topology.view;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@value #PATH}: the live updates as Server-Sent Events ({@code event: update}, one JSON object per line), every
 * camera's or one camera's ({@code ?camera=ID}). Each open page gets a writer thread of its own, apart from the
 * HTTP server's pool, so that a page that stops reading blocks only its writer; its queue drops the oldest updates.
 */
final class LiveEvents implements HttpHandler, AutoCloseable {
    static final String PATH = "/live/events";
    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    /** A comment line this often keeps proxies and the browser from closing an idle stream. */
    private static final long KEEP_ALIVE_MS = 15_000;
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final LiveHub hub;
    private final ThreadPoolExecutor writers;

    LiveEvents(LiveHub hub, int maxClients) {
        this.hub = hub;
        AtomicInteger n = new AtomicInteger();
        this.writers = new ThreadPoolExecutor(0, maxClients, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "emostream-live-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("GET")) {
            StaticAssets.sendText(exchange, 405, exchange.getRequestMethod() + " is not served: use GET");
            return;
        }
        String camera = cameraParameter(exchange.getRequestURI().getRawQuery());
        UpdateQueue page = hub.subscribe(camera);
        try {
            writers.execute(() -> stream(exchange, page));
        } catch (RejectedExecutionException e) {
            hub.unsubscribe(page);
            StaticAssets.sendText(exchange, 503, "too many live pages are open (" + LiveViewSettings.MAX_CLIENTS
                    + " = " + writers.getMaximumPoolSize() + "): close one or raise the setting");
        }
    }

    private void stream(HttpExchange exchange, UpdateQueue page) {
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            while (!Thread.currentThread().isInterrupted()) {
                byte[] event = page.take(KEEP_ALIVE_MS);
                out.write(event == null ? KEEP_ALIVE : event);
                out.flush();
            }
        } catch (IOException e) {
            log.debug("live page at {} went away: {}", exchange.getRemoteAddress(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hub.unsubscribe(page);
        }
    }

    /** {@code camera} of the query, or null (every camera). */
    private static String cameraParameter(String rawQuery) {
        if (rawQuery == null) return null;
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("camera=")) {
                String id = URLDecoder.decode(pair.substring("camera=".length()), StandardCharsets.UTF_8);
                return id.isEmpty() ? null : id;
            }
        }
        return null;
    }

    /** Ends every open stream. */
    @Override
    public void close() {
        writers.shutdownNow();
    }
}
