package io.emostream.topology.ops;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writing the operations pages' answers; they serve GET (and HEAD, which probes may use) only. */
final class Pages {
    private Pages() { }

    /** False, after answering 405, for a method other than GET or HEAD. */
    static boolean readable(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) return true;
        send(exchange, 405, "text/plain; charset=utf-8", method + " is not served: use GET\n");
        return false;
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) out.write(bytes);
        }
    }
}
