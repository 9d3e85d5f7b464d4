package io.emostream.topology.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;

/** A request refused before any handler ran: the status and {@code {"error": "..."}} saying what to do. */
final class ErrorAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorAnswer() { }

    static void send(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(new CameraJson.ErrorMessage(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, body.length);
            out.write(body);
        }
    }
}
