package io.emostream.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The camera query API over real HTTP, as the end-to-end tests call it. */
final class QueryApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private QueryApiClient() { }

    /** An answer, and the instance whose stores gave it (the API's {@code X-Emostream-Instance} header). */
    record Reply(int status, String body, String instance) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** GETs {@code pathAndQuery} from the instance at {@code hostPort}; every answer must be JSON. */
    static Reply get(String hostPort, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(hostPort, pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        return new Reply(response.statusCode(), response.body(),
                response.headers().firstValue("X-Emostream-Instance").orElse(""));
    }

    static URI uri(String hostPort, String pathAndQuery) {
        return URI.create("http://" + hostPort + pathAndQuery);
    }

    /** A loopback port free now, for an HTTP server to bind. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
