package io.emostream.topology.http;

import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks another instance of the application, which owns the camera, to answer a request from its own stores. */
final class PeerClient {
    /** Marks a routed request: the receiver answers from its own stores and never routes it again. */
    static final String FORWARDED_HEADER = "X-Emostream-Forwarded";
    /** Names the instance ({@code host:port}) whose stores answered. */
    static final String INSTANCE_HEADER = "X-Emostream-Instance";

    private final HttpClient client;
    private final Duration timeout;
    private final String scheme;
    private final String authorization;

    /** Speaks HTTPS when this instance does, and sends its token: instances share one TLS set-up and token. */
    PeerClient(HttpSettings settings) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.forwardTimeout());
        if (settings.security().tls()) builder.sslContext(TlsContexts.client(settings.security()));
        this.client = builder.build();
        this.timeout = settings.forwardTimeout();
        this.scheme = settings.security().tls() ? "https://" : "http://";
        this.authorization = settings.security().authenticates()
                ? "Bearer " + settings.security().token().value() : null;
    }

    /** GETs {@code rawPathAndQuery} (still URL-encoded) from {@code peer}; a peer that does not answer is a 502. */
    ApiResponse get(HostInfo peer, String rawPathAndQuery) {
        String address = address(peer);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + address + rawPathAndQuery))
                .timeout(timeout).header(FORWARDED_HEADER, "true").GET();
        if (authorization != null) request.header("Authorization", authorization);
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new ApiResponse(response.statusCode(), response.body(),
                    response.headers().firstValue(INSTANCE_HEADER).orElse(address));
        } catch (IOException e) {
            throw new ApiException(502, "instance " + address + " did not answer (" + e + "); retry, or check "
                    + "that it runs and that its application.server is reachable from here");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while waiting for instance " + address);
        }
    }

    static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
