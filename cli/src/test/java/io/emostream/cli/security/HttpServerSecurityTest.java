package io.emostream.cli.security;

import io.emostream.cli.embedded.SelfSignedStores;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.http.HttpApiServer;
import io.emostream.topology.http.HttpLimits;
import io.emostream.topology.http.HttpSecurity;
import io.emostream.topology.http.HttpSettings;
import io.emostream.topology.ops.HealthPages;
import io.emostream.topology.ops.HealthStatus;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP server's protections, over real HTTP(S) with the JDK's client: where it listens, the token, TLS, and the
 * bounds on request sizes and rates. The query API's place is taken by a path that answers "ok", registered the
 * way the API registers its own; the health pages are the real ones.
 */
class HttpServerSecurityTest {
    private static final String TOKEN = "s3cret-token";
    private static final String API = "/api/cameras";
    private static final String STORE_PASSWORD = "test-store-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theServerListensOnLoopbackUnlessToldOtherwise() throws IOException {
        HttpSettings settings = new EmoStreamAppConfig(Map.of(HttpSettings.HTTP_PORT, String.valueOf(freePort())))
                .httpSettings();
        assertEquals("127.0.0.1", settings.bindAddress());
        try (HttpApiServer server = serve(settings)) {
            assertTrue(server.address().getAddress().isLoopbackAddress(), server.address()::toString);
        }
    }

    @Test
    void servingOnAllInterfacesWithoutATokenIsRefusedWithAMessageSayingWhatToSet() throws IOException {
        String port = String.valueOf(freePort());
        ConfigException refused = assertThrows(ConfigException.class, () -> new EmoStreamAppConfig(Map.of(
                HttpSettings.HTTP_PORT, port, HttpSettings.HTTP_BIND_ADDRESS, "0.0.0.0")).httpSettings());
        assertTrue(refused.getMessage().contains(HttpSecurity.AUTH_TOKEN), refused::getMessage);
        assertTrue(refused.getMessage().contains("EMOSTREAM_HTTP_AUTH_TOKEN"), refused::getMessage);
        HttpSettings withToken = new EmoStreamAppConfig(Map.of(HttpSettings.HTTP_PORT, port,
                HttpSettings.HTTP_BIND_ADDRESS, "0.0.0.0", HttpSecurity.AUTH_TOKEN, TOKEN)).httpSettings();
        assertTrue(withToken.security().authenticates());
    }

    @Test
    void withATokenTheApiAnswers401WithoutItAnd200WithItAsBearerOrBasicWhileHealthStaysOpen() throws Exception {
        try (HttpApiServer server = serve(loopback().with(HttpSecurity.NONE.withToken(TOKEN)))) {
            HttpResponse<String> anonymous = get(server, API, Map.of());
            assertEquals(401, anonymous.statusCode());
            assertTrue(anonymous.body().contains(HttpSecurity.AUTH_TOKEN), anonymous::body);
            assertEquals(List.of("Bearer realm=\"emostream\"", "Basic realm=\"emostream\", charset=\"UTF-8\""),
                    anonymous.headers().allValues("WWW-Authenticate"));
            assertEquals(401, get(server, API, Map.of("Authorization", "Bearer wrong-" + TOKEN)).statusCode());
            assertEquals(401, get(server, API, Map.of("Authorization", basic("wrong"))).statusCode());

            HttpResponse<String> bearer = get(server, API, Map.of("Authorization", "Bearer " + TOKEN));
            assertEquals(200, bearer.statusCode());
            assertEquals("ok", bearer.body());
            assertEquals(200, get(server, API, Map.of("Authorization", basic(TOKEN))).statusCode());
            assertEquals(200, get(server, HealthPages.LIVE, Map.of()).statusCode());
        }
    }

    @Test
    void withTheOperationsPagesClosedHealthNeedsTheTokenToo() throws Exception {
        try (HttpApiServer server = serve(loopback().with(HttpSecurity.NONE.withToken(TOKEN).withOpsOpen(false)))) {
            assertEquals(401, get(server, HealthPages.LIVE, Map.of()).statusCode());
            assertEquals(200, get(server, HealthPages.LIVE, Map.of("Authorization", "Bearer " + TOKEN))
                    .statusCode());
        }
    }

    @Test
    void withAKeyStoreTheServerSpeaksHttpsWithItsCertificateAndNoPlainHttp() throws Exception {
        SelfSignedStores stores = new SelfSignedStores(dir, STORE_PASSWORD);
        Path keys = stores.keyStore("api");
        Path trust = stores.trustStore("clients-trust", List.of(keys));
        HttpSecurity tls = HttpSecurity.NONE.withToken(TOKEN).withTls(keys.toString(), STORE_PASSWORD,
                trust.toString(), STORE_PASSWORD);
        try (HttpApiServer server = serve(loopback().with(tls))) {
            assertEquals("https", server.scheme());
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(trust)).build();
            HttpResponse<String> answer = trusting.send(request("https", server, API)
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
            assertEquals("ok", answer.body());
            assertThrows(IOException.class, () -> HTTP.send(request("http", server, API).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void aClientBeyondItsRateIsAnswered429WithRetryAfter() throws Exception {
        HttpLimits limits = new HttpLimits(4096, 16 * 1024, 1024, 0.01, 2);
        try (HttpApiServer server = serve(loopback().with(limits))) {
            assertEquals(200, get(server, API, Map.of()).statusCode());
            assertEquals(200, get(server, HealthPages.LIVE, Map.of()).statusCode());
            HttpResponse<String> third = get(server, API, Map.of());
            assertEquals(429, third.statusCode());
            long retryAfter = Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 100, "Retry-After " + retryAfter);
        }
    }

    @Test
    void requestsOverTheSizeLimitsAreAnswered413And414And431() throws Exception {
        HttpLimits limits = new HttpLimits(200, 2048, 1024, 0, 1);
        try (HttpApiServer server = serve(loopback().with(limits))) {
            HttpResponse<String> body = HTTP.send(request("http", server, API)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1025])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, body.statusCode());
            assertTrue(body.body().contains(HttpLimits.MAX_BODY_BYTES), body::body);
            assertEquals(200, HTTP.send(request("http", server, API)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024])).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(414, get(server, API + "?q=" + "x".repeat(200), Map.of()).statusCode());
            assertEquals(431, get(server, API, Map.of("X-Padding", "p".repeat(2048))).statusCode());
        }
    }

    private static HttpApiServer serve(HttpSettings settings) {
        HttpApiServer server = HttpApiServer.start(settings);
        server.route(API, exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            try (var out = exchange.getResponseBody()) {
                out.write(ok);
            }
        });
        HealthPages.addTo(server, () -> HealthStatus.up("test"), () -> HealthStatus.up("test"));
        return server;
    }

    private static HttpSettings loopback() throws IOException {
        return HttpSettings.on("127.0.0.1", freePort());
    }

    private static HttpResponse<String> get(HttpApiServer server, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request("http", server, path);
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String scheme, HttpApiServer server, String path) {
        return HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + server.port() + path));
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("viewer:" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext trusting(Path trustStore) throws IOException, GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(KeyStore.getInstance(trustStore.toFile(), STORE_PASSWORD.toCharArray()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
