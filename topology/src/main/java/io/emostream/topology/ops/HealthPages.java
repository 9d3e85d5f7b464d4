package io.emostream.topology.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import io.emostream.topology.http.HttpApiServer;

import java.util.function.Supplier;

/**
 * {@value #LIVE} and {@value #READY}, for Kubernetes' probes and container health checks: 200 when the check
 * passes, 503 when it does not, each with {@code {"status": "UP"|"DOWN", "detail": "..."}}.
 */
public final class HealthPages {
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthPages() { }

    private record Body(String status, String detail) { }

    public static void addTo(HttpApiServer server, Supplier<HealthStatus> live, Supplier<HealthStatus> ready) {
        server.routeOps(LIVE, page(live)).routeOps(READY, page(ready));
    }

    private static HttpHandler page(Supplier<HealthStatus> check) {
        return exchange -> {
            if (!Pages.readable(exchange)) return;
            HealthStatus status = check.get();
            Pages.send(exchange, status.ok() ? 200 : 503, "application/json; charset=utf-8", json(status));
        };
    }

    private static String json(HealthStatus status) {
        try {
            return JSON.writeValueAsString(new Body(status.ok() ? "UP" : "DOWN", status.detail()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
