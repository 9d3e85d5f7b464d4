package io.emostream.topology.view;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The live page's files, read from the jar once at start. Only the names listed here are served, looked up by the
 * request's exact raw path, so no request path ever reaches a file or resource name: {@code ..}, encoded dots,
 * slashes or anything else is simply not in the table (404).
 */
final class StaticAssets implements HttpHandler {
    static final String INDEX = "/";
    private static final String FOLDER = "static/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "live.css", "text/css; charset=utf-8",
            "overlay.js", "text/javascript; charset=utf-8",
            "live.js", "text/javascript; charset=utf-8",
            "camera.js", "text/javascript; charset=utf-8",
            // uPlot from npm, copied into the jar by the build
            "uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "uPlot.min.css", "text/css; charset=utf-8");

    private record Asset(String type, byte[] bytes) { }

    private final Map<String, Asset> byPath = new HashMap<>();

    /** @throws IllegalStateException when a file is missing from the jar (a build without npm) */
    StaticAssets() {
        TYPES.forEach((name, type) -> byPath.put("/" + name, new Asset(type, read(name))));
        byPath.put(INDEX, byPath.get("/index.html"));
    }

    /** The request paths served. */
    Set<String> paths() {
        return byPath.keySet();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            sendText(exchange, 405, method + " is not served: use GET");
            return;
        }
        Asset asset = byPath.get(exchange.getRequestURI().getRawPath());
        if (asset == null) {
            sendText(exchange, 404, "not found: the live page is at /");
            return;
        }
        send(exchange, 200, asset.type(), asset.bytes());
    }

    static void sendText(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) out.write(body);
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("the live page's file " + name + " is missing from the jar: build "
                        + "emostream with Maven and npm (the build copies the chart library from npm)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the live page's file " + name, e);
        }
    }
}
