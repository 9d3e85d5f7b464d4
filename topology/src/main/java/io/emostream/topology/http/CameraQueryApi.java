package io.emostream.topology.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The camera query API under {@value #PATH}, answered from the state stores of the Kafka Streams application:
 * <ul>
 *   <li>{@code GET /api/cameras}: every camera of every instance, with its last frame time, frames/s, objects now;</li>
 *   <li>{@code GET /api/cameras/{id}}: the camera's newest tracks, zones, crossings and counts;</li>
 *   <li>{@code GET /api/cameras/{id}/stats?from=&to=}: its windows starting in [from, to] (ISO-8601 or epoch ms).</li>
 * </ul>
 * A camera's request is answered by the instance whose active task holds the camera's partition (Kafka Streams'
 * {@code queryMetadataForKey}); any other instance routes it there, so every instance answers for every camera. For
 * that, each instance's {@code application.server} must be the host:port of its HTTP server
 * ({@link HttpSettings#applicationServer()}). Unknown cameras are 404, bad parameters 400, stores that are
 * rebalancing 503; every answer is JSON, errors as {@code {"error": "..."}}, and the header
 * {@value PeerClient#INSTANCE_HEADER} names the instance whose stores answered.
 */
public final class CameraQueryApi implements HttpHandler {
    public static final String PATH = "/api/cameras";

    private static final Logger log = LoggerFactory.getLogger(CameraQueryApi.class);
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final Serializer<String> KEYS = Serdes.String().serializer();

    private final KafkaStreams streams;
    private final QueryStores stores;
    private final HostInfo self;
    private final LocalCameraStores local;
    private final PeerClient peers;

    /** {@code settings.advertised()} must be this instance's {@code application.server}. */
    public CameraQueryApi(KafkaStreams streams, QueryStores stores, HttpSettings settings) {
        this.streams = streams;
        this.stores = stores;
        this.self = settings.advertised();
        this.local = new LocalCameraStores(streams, stores);
        this.peers = new PeerClient(settings);
    }

    /** Serves the API on {@code server}. */
    public static void addTo(HttpApiServer server, KafkaStreams streams, QueryStores stores, HttpSettings settings) {
        server.route(PATH, new CameraQueryApi(streams, stores, settings));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        ApiResponse response;
        try {
            response = answer(exchange);
        } catch (ApiException e) {
            response = error(e.status(), e.getMessage());
        } catch (InvalidStateStoreException e) {
            response = error(503, "the camera stores are not queryable now (the application is starting or "
                    + "rebalancing): retry shortly");
        } catch (RuntimeException e) {
            log.warn("query API request {} failed", exchange.getRequestURI(), e);
            response = error(500, "internal error: " + e);
        }
        try (OutputStream body = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set(PeerClient.INSTANCE_HEADER, response.instance());
            exchange.sendResponseHeaders(response.status(), response.body().length);
            body.write(response.body());
        }
    }

    private ApiResponse answer(HttpExchange exchange) {
        if (!"GET".equals(exchange.getRequestMethod())) {
            throw new ApiException(405, exchange.getRequestMethod() + " is not served: use GET");
        }
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new ApiException(503, "the stream application is " + state + ", not running: "
                    + (state.isShuttingDown() ? "see its log for why it stopped" : "retry once it has started"));
        }
        boolean forwarded = exchange.getRequestHeaders().containsKey(PeerClient.FORWARDED_HEADER);
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        String routed = rawPath + (rawQuery == null ? "" : "?" + rawQuery);
        List<String> segments = segments(rawPath);
        if (segments.isEmpty()) return cameras(forwarded);
        String camera = segments.get(0);
        if (segments.size() == 1) {
            return owned(stores.status(), camera, routed, forwarded, () -> ok(local.camera(camera)
                    .orElseThrow(() -> unknown(camera, "no frames seen from it"))));
        }
        if (segments.size() == 2 && segments.get(1).equals("stats")) {
            TimeRange range = TimeRange.parse(rawQuery);
            return owned(stores.windows(), camera, routed, forwarded, () -> ok(new CameraJson.StatsList(camera,
                    range.fromGiven() ? range.from().toString() : null,
                    range.toGiven() ? range.to().toString() : null,
                    local.windows(camera, range).orElseThrow(() -> unknown(camera, "no statistics are retained "
                            + "for it")))));
        }
        throw noSuchEndpoint(rawPath);
    }

    /** The decoded segments after {@value #PATH}. */
    private static List<String> segments(String rawPath) {
        if (rawPath.equals(PATH) || rawPath.equals(PATH + "/")) return List.of();
        if (!rawPath.startsWith(PATH + "/")) throw noSuchEndpoint(rawPath);
        List<String> segments = Arrays.stream(rawPath.substring(PATH.length() + 1).split("/", -1))
                .map(Urls::decode).toList();
        if (segments.stream().anyMatch(String::isEmpty)) throw noSuchEndpoint(rawPath);
        return segments;
    }

    /** Answers from this instance when it owns the camera's partition, else from the instance that does. */
    private ApiResponse owned(String store, String camera, String rawPathAndQuery, boolean forwarded,
                              Supplier<ApiResponse> fromHere) {
        KeyQueryMetadata owner = streams.queryMetadataForKey(store, camera, KEYS);
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            throw new ApiException(503, "it is not known yet which instance holds camera '" + camera + "' (the "
                    + "application is starting or rebalancing): retry shortly");
        }
        if (owner.activeHost().equals(self)) return fromHere.get();
        if (forwarded) {
            throw new ApiException(503, "camera '" + camera + "' moved to another instance while the request was "
                    + "routed: retry");
        }
        return peers.get(owner.activeHost(), rawPathAndQuery);
    }

    private ApiResponse cameras(boolean forwarded) {
        Map<String, CameraJson.Summary> cameras = new TreeMap<>();
        List<String> unreachable = new ArrayList<>();
        for (StreamsMetadata instance : streams.streamsMetadataForStore(stores.status())) {
            if (instance.hostInfo().equals(self)) {
                if (instance.stateStoreNames().contains(stores.status())) {
                    local.summaries().forEach(s -> cameras.put(s.cameraId(), s));
                }
            } else if (!forwarded) {
                peerCameras(instance.hostInfo(), cameras, unreachable);
            }
        }
        return ok(new CameraJson.CameraList(List.copyOf(cameras.values()), unreachable));
    }

    private void peerCameras(HostInfo peer, Map<String, CameraJson.Summary> cameras, List<String> unreachable) {
        try {
            ApiResponse answer = peers.get(peer, PATH);
            if (answer.status() != 200) {
                unreachable.add(PeerClient.address(peer));
                return;
            }
            for (CameraJson.Summary s : JSON.readValue(answer.body(), CameraJson.CameraList.class).cameras()) {
                cameras.put(s.cameraId(), s);
            }
        } catch (ApiException | IOException e) {
            log.debug("instance {} did not list its cameras: {}", peer, e.toString());
            unreachable.add(PeerClient.address(peer));
        }
    }

    private ApiResponse ok(Object body) {
        return json(200, body);
    }

    private ApiResponse error(int status, String message) {
        return json(status, new CameraJson.ErrorMessage(message));
    }

    private ApiResponse json(int status, Object body) {
        try {
            return new ApiResponse(status, JSON.writeValueAsBytes(body), PeerClient.address(self));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private static ApiException unknown(String camera, String why) {
        return new ApiException(404, "unknown camera '" + camera + "': " + why);
    }

    private static ApiException noSuchEndpoint(String rawPath) {
        return new ApiException(404, "no such endpoint: " + rawPath + " (use " + PATH + ", " + PATH + "/{id} or "
                + PATH + "/{id}/stats?from=&to=)");
    }
}
