package io.emostream.topology.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.emostream.topology.http.HttpApiServer;

import java.io.IOException;

/** {@value #PATH}: every meter of the process's {@link Telemetry}, in the Prometheus text format. */
public final class MetricsPage implements HttpHandler {
    public static final String PATH = "/metrics";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Telemetry telemetry;

    private MetricsPage(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    public static void addTo(HttpApiServer server, Telemetry telemetry) {
        server.routeOps(PATH, new MetricsPage(telemetry));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (Pages.readable(exchange)) Pages.send(exchange, 200, CONTENT_TYPE, telemetry.scrape());
    }
}
