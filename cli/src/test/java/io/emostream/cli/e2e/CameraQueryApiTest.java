package io.emostream.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.emostream.cli.e2e.QueryApiClient.Reply;
import io.emostream.cli.embedded.BrokerPerClass;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.LineCrossing;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.TrackRef;
import io.emostream.schemas.TrackedObject;
import io.emostream.schemas.ZoneState;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.analytics.CameraStatsWindows;
import io.emostream.topology.analytics.CameraStatusBoard;
import io.emostream.topology.http.CameraQueryApi;
import io.emostream.topology.http.HttpApiServer;
import io.emostream.topology.http.HttpSettings;
import io.emostream.topology.http.QueryStores;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The camera query API over real HTTP, against two instances of a Kafka Streams application on the embedded broker
 * that keep the camera status and window stores from FrameTracks, FrameAnalytics and FrameOccupancy records written
 * straight to their topics. Every camera is asked of both instances, so half the requests are routed to the other.
 */
class CameraQueryApiTest {
    private static final String TRACKS = "tracks";
    private static final String ANALYTICS = "frame-analytics";
    private static final String OCCUPANCY = "frame-occupancy";
    private static final String STATS = "camera-stats";
    private static final int PARTITIONS = 2;
    /** Recent (brokers refuse record timestamps over an hour ahead) and a whole hour, so windows start at it. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
    /** 10 frames/s for 13 s of capture time: window [0 s, 10 s) closes (2 s grace), [10 s, 20 s) stays open. */
    private static final int FRAMES = 130;
    private static final Instant LAST_FRAME = T0.plusMillis((FRAMES - 1) * 100L);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path stateDir;

    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass();
    private static Instance a;
    private static Instance b;
    private static final List<String> cameras = camerasOnBothPartitions();

    private record Instance(KafkaStreams streams, HttpApiServer http, HttpSettings settings) {
        String address() {
            return settings.applicationServer();
        }

        boolean owns(String camera) {
            return streams.queryMetadataForKey(CameraStatusBoard.STATUS_STORE, camera, Serdes.String().serializer())
                    .activeHost().equals(settings.advertised());
        }

        boolean hasActiveTask() {
            return streams.state() == KafkaStreams.State.RUNNING && streams.metadataForLocalThreads().stream()
                    .anyMatch(t -> !t.activeTasks().isEmpty());
        }

        void close() {
            http.close();
            streams.close(Duration.ofSeconds(30));
        }
    }

    @BeforeAll
    static void startBrokerInstancesAndFeedThem() throws Exception {
        for (String topic : List.of(TRACKS, ANALYTICS, OCCUPANCY)) kafka.createTopic(topic, PARTITIONS);
        kafka.createTopic(STATS, 1);
        a = instance("a");
        b = instance("b");
        a.streams().start();
        b.streams().start();
        await("both instances run with a share of the partitions", () -> a.hasActiveTask() && b.hasActiveTask());
        produceFrames();
        await("instance a lists every camera at its last frame", () -> {
            JsonNode list = get(a, "/api/cameras").json();
            return list.get("cameras").size() == cameras.size() && list.get("cameras").findValuesAsText(
                    "lastFrameTime").stream().allMatch(LAST_FRAME.toString()::equals);
        });
    }

    @AfterAll
    static void stopAll() {
        for (Instance instance : new Instance[]{a, b}) {
            if (instance != null) instance.close();
        }
    }

    @Test
    void aCameraIsAnsweredByTheInstanceThatOwnsItWhicheverInstanceIsAsked() throws Exception {
        assertTrue(cameras.stream().anyMatch(a::owns) && cameras.stream().anyMatch(b::owns),
                "each instance owns some cameras");
        for (String camera : cameras) {
            String owner = a.owns(camera) ? a.address() : b.address();
            for (Instance asked : List.of(a, b)) {
                Reply reply = get(asked, "/api/cameras/" + camera);
                assertEquals(200, reply.status(), reply.body());
                assertEquals(owner, reply.instance(), "asked " + asked.address() + " for " + camera);
                JsonNode detail = reply.json();
                assertEquals(camera, detail.get("cameraId").asText());
                assertEquals(LAST_FRAME.toString(), detail.get("lastFrameTime").asText());
                assertEquals(2, detail.get("objectsNow").asInt());
                assertEquals(2, detail.get("counts").get("person").asInt());
                assertEquals(2, detail.get("tracks").size());
                assertEquals("door", detail.get("zones").get(0).get("zoneId").asText());
                assertFalse(detail.get("model").get("trained").asBoolean());
                assertTrue(detail.get("warning").asText().contains("untrained"), detail.toString());
            }
        }
    }

    @Test
    void eitherInstanceListsEveryCameraWithItsFrameRate() throws Exception {
        for (Instance asked : List.of(a, b)) {
            JsonNode list = get(asked, "/api/cameras").json();
            List<String> ids = new ArrayList<>();
            for (JsonNode camera : list.get("cameras")) {
                ids.add(camera.get("cameraId").asText());
                assertEquals(10.0, camera.get("framesPerSecond").asDouble(), 1e-9, camera.toString());
                assertEquals(2, camera.get("objectsNow").asInt());
            }
            assertEquals(cameras.stream().sorted().toList(), ids);
            assertEquals(0, list.get("unreachableInstances").size());
        }
    }

    @Test
    void statsAreTheCamerasWindowsStartingInTheAskedRange() throws Exception {
        String camera = cameras.get(0);
        Instance other = a.owns(camera) ? b : a;

        JsonNode all = get(other, "/api/cameras/" + camera + "/stats").json();
        assertEquals(2, all.get("windows").size(), all.toString());
        JsonNode first = all.get("windows").get(0);
        assertEquals(T0.toString(), first.get("windowStart").asText());
        assertEquals(T0.plusSeconds(10).toString(), first.get("windowEnd").asText());
        assertEquals(100, first.get("frames").asLong());
        JsonNode persons = first.get("classes").get(0);
        assertEquals("person", persons.get("label").asText());
        assertEquals(2.0, persons.get("meanPerFrame").asDouble());
        assertEquals(2, persons.get("uniqueTracks").asInt());
        assertEquals(1, first.get("lines").get(0).get("in").asLong(), "one crossing per 10 s");
        assertEquals(2.0, first.get("zones").get(0).get("meanObjects").asDouble());
        assertEquals(0.5, first.get("segmentation").get(0).get("meanFraction").asDouble(), 1e-6);
        assertEquals(30, all.get("windows").get(1).get("frames").asLong());

        String fiveSecondsInAtPlusOne = T0.plusSeconds(5).atOffset(ZoneOffset.ofHours(1)).toString();
        JsonNode later = get(other, "/api/cameras/" + camera + "/stats?from=" + fiveSecondsInAtPlusOne).json();
        assertEquals(1, later.get("windows").size());
        assertEquals(T0.plusSeconds(10).toString(), later.get("windows").get(0).get("windowStart").asText());
        assertEquals(T0.plusSeconds(5).toString(), later.get("from").asText());

        JsonNode earlier = get(other, "/api/cameras/" + camera + "/stats?to=" + T0.toEpochMilli()).json();
        assertEquals(1, earlier.get("windows").size());
        assertEquals(100, earlier.get("windows").get(0).get("frames").asLong());
    }

    @Test
    void errorsAreJsonMessagesWithTheFittingStatus() throws Exception {
        Reply unknown = get(a, "/api/cameras/no-such-camera");
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().get("error").asText().contains("'no-such-camera'"), unknown.body());

        Reply unknownStats = get(b, "/api/cameras/no-such-camera/stats");
        assertEquals(404, unknownStats.status(), unknownStats.body());

        Reply badTime = get(a, "/api/cameras/" + cameras.get(1) + "/stats?from=yesterday");
        assertEquals(400, badTime.status());
        assertTrue(badTime.json().get("error").asText().contains("from=yesterday is neither an ISO-8601 time"),
                badTime.body());

        Reply noEndpoint = get(a, "/api/cameras/" + cameras.get(1) + "/tracks/7");
        assertEquals(404, noEndpoint.status());
        assertTrue(noEndpoint.json().get("error").asText().contains("no such endpoint"), noEndpoint.body());

        URI list = QueryApiClient.uri(a.address(), "/api/cameras");
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(list).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void closedWindowsReachTheCameraStatsTopicOncePerCamera() {
        Map<String, CameraStats> finals = new TreeMap<>();
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "stats-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, CameraStats> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                AvroSerdes.cameraStats())) {
            consumer.subscribe(List.of(STATS));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (finals.size() < cameras.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    assertFalse(finals.containsKey(r.key()), "a second record for " + r.key());
                    finals.put(r.key(), r.value());
                });
            }
        }
        assertEquals(cameras.stream().map(c -> CameraStatsWindows.statsKey(c, T0)).sorted().toList(),
                List.copyOf(finals.keySet()));
        finals.values().forEach(s -> {
            assertTrue(s.getFinal$());
            assertEquals(100, s.getFrames());
        });
    }

    private static Instance instance(String name) throws IOException {
        int port = QueryApiClient.freePort();
        HttpSettings http = new HttpSettings("127.0.0.1", port, "127.0.0.1", 2, Duration.ofSeconds(10));
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, FrameAnalytics> analytics = builder.stream(ANALYTICS,
                Consumed.with(Serdes.String(), AvroSerdes.frameAnalytics()));
        CameraStatsWindows.addTo(analytics,
                        builder.stream(OCCUPANCY, Consumed.with(Serdes.String(), AvroSerdes.frameOccupancy())),
                        CameraStatsWindows.Settings.defaults())
                .to(STATS, Produced.with(Serdes.String(), AvroSerdes.cameraStats()));
        CameraStatusBoard.addTo(builder, builder.stream(TRACKS, Consumed.with(Serdes.String(),
                AvroSerdes.frameTracks())), analytics, CameraStatusBoard.Settings.defaults());

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-api-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(name).toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, http.applicationServer());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        HttpApiServer server = HttpApiServer.start(http);
        CameraQueryApi.addTo(server, streams, QueryStores.defaults(), http);
        return new Instance(streams, server, http);
    }

    /** Per camera: tracks, analytics and occupancy of each frame; 2 persons in the door zone, a crossing every 10 s. */
    private static void produceFrames() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int frame = 0; frame < FRAMES; frame++) {
                final int i = frame;
                Instant capture = T0.plusMillis(i * 100L);
                for (String camera : cameras) {
                    FrameTracks tracks = FrameTracks.newBuilder().setCameraId(camera).setSequence(i)
                            .setCaptureTimestamp(capture).setFrameWidth(640).setFrameHeight(480)
                            .setModel(new ModelInfo("fixture-detector", "0", false, "cpu"))
                            .setTracks(LongStream.of(1, 2).mapToObj(id -> new TrackedObject(id, 1, "person", 0.8f,
                                    new PixelBox(10f * id, 20f, 10f * id + 40, 120f), i * 100L, i + 1, 0f, 0f))
                                    .toList()).build();
                    FrameAnalytics analytics = FrameAnalytics.newBuilder().setCameraId(camera).setSequence(i)
                            .setCaptureTimestamp(capture)
                            .setObjects(List.of(new TrackRef(1L, 1, "person"), new TrackRef(2L, 1, "person")))
                            .setCrossings(i % 100 == 50 ? List.of(new LineCrossing("gate", 1L, 1,
                                    CrossingDirection.IN)) : List.of())
                            .setZones(List.of(new ZoneState("door", 2, List.of()))).build();
                    FrameOccupancy occupancy = FrameOccupancy.newBuilder().setCameraId(camera).setSequence(i)
                            .setCaptureTimestamp(capture).setClassFractions(List.of(new ClassFraction(0, "road", 0.5f)))
                            .setZones(List.of()).build();
                    producer.send(new ProducerRecord<>(TRACKS, camera, AvroSerdes.frameTracks().serialize(TRACKS,
                            tracks)));
                    producer.send(new ProducerRecord<>(ANALYTICS, camera, AvroSerdes.frameAnalytics()
                            .serialize(ANALYTICS, analytics)));
                    producer.send(new ProducerRecord<>(OCCUPANCY, camera, AvroSerdes.frameOccupancy()
                            .serialize(OCCUPANCY, occupancy)));
                }
            }
            producer.flush();
        }
    }

    private static Reply get(Instance instance, String pathAndQuery) throws IOException, InterruptedException {
        return QueryApiClient.get(instance.address(), pathAndQuery);
    }

    private static void await(String what, Eventually.Condition condition) throws InterruptedException {
        Eventually.await(what, WAIT, condition);
    }

    /** Two cameras on each partition, so that both instances own cameras whatever the assignment. */
    private static List<String> camerasOnBothPartitions() {
        Map<Integer, List<String>> byPartition = new HashMap<>();
        List<String> chosen = new ArrayList<>();
        for (int i = 0; chosen.size() < 2 * PARTITIONS; i++) {
            String id = "cam-" + i;
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            List<String> on = byPartition.computeIfAbsent(partition, p -> new ArrayList<>());
            if (on.size() < 2) {
                on.add(id);
                chosen.add(id);
            }
        }
        return chosen;
    }
}
