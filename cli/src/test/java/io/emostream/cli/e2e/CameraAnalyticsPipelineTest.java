package io.emostream.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.emostream.cli.embedded.BrokerPerClass;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.fixtures.LateAnswers;
import io.emostream.models.runtime.Predictor;
import io.emostream.processors.FailureStage;
import io.emostream.processors.ProcessingSettings;
import io.emostream.processors.tracking.TrackerSettings;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.DeadLetterReason;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.LineCrossing;
import io.emostream.schemas.LineStats;
import io.emostream.schemas.Point;
import io.emostream.schemas.TrackedObject;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.EmoStreams;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.analytics.CameraStatsWindows;
import io.emostream.topology.analytics.CameraStatusBoard;
import io.emostream.topology.analytics.ZoneAnalytics;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.ops.Telemetry;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.TopicProvisioner;
import io.emostream.topology.http.HttpSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Camera analytics through the whole {@code run} application on the real embedded broker: SyntheticVideo's frames,
 * decoded with FFmpeg, go through {@link EmoStreamApp} with the {@link ShapeFixtureDetector} (a test fixture that
 * finds the video's shapes by colour, standing in for the untrained EMO detector so that the boxes are known) into
 * tracks, line crossings, windowed camera stats and the query API. The disc ("person") moves left to right at a
 * third of the height, the box ("car") up and down in the right half. Processing is at_least_once: around a
 * failover a frame may get a result twice, never none.
 */
class CameraAnalyticsPipelineTest {
    /** 31 frames at 10 frames/s: three whole 1 s windows of capture time and one frame after them. */
    private static final double VIDEO_SECONDS = 3.1;
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PERSON = "person";
    private static final String CAR = "car";
    private static final int CONFIRM_HITS = TrackerSettings.defaults().confirmHits();

    @TempDir
    static Path dir;

    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass();
    private static ShapeVideo video;

    @BeforeAll
    static void startBrokerAndDecodeTheVideo() throws IOException {
        video = ShapeVideo.write(dir, VIDEO_SECONDS);
    }

    /**
     * Also with four frames in flight under exactly_once_v2: the frames in flight are forwarded at each commit
     * before the tracker's, zones' and windows' stores are flushed, so every frame is tracked, analysed and counted
     * once in the committed results.
     */
    @ParameterizedTest(name = "{0}, frame.inflight.max={1}")
    @CsvSource({"at_least_once, 1", "exactly_once_v2, 4"})
    void oneCamerasVideoGivesOneStableTrackPerShapeOneGateCrossingAndOneSecondWindowsHoldingItsFrames(
            String guarantee, int inFlight) throws Exception {
        String camera = "door-cam";
        // a -> b points up the image, so its right side is the frame's right half: the disc, moving left to right,
        // crosses from the line's left to its right, which CameraConfig.avsc counts IN
        Map<String, String> settings = settingsWithLines("tracking-" + inFlight, camera,
                "{id: gate, a: [0.5, 1], b: [0.5, 0]}");
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        settings.put(EmoStreamConfig.FRAME_INFLIGHT_MAX, String.valueOf(inFlight));
        settings.put(CameraStatsWindows.WINDOW_SIZE_MS, "1000");
        settings.put(CameraStatsWindows.GRACE_MS, "0");
        EmoStreamAppConfig config = provision(settings);
        Instant start = recentWholeSecond();
        int frames = video.frames();

        try (AnalyticsCollector results = new AnalyticsCollector(kafka.bootstrapServers(), config);
             EmoStreamApp app = app(config)) {
            app.start();
            produce(config, List.of(camera), 0, frames, start);
            results.pollUntil("every frame is tracked and analysed and the first three windows closed",
                    r -> r.trackedFrames(camera).size() == frames && r.analysedFrames(camera).size() == frames
                            && r.stats.size() >= 3, STALL);
            results.drain(Duration.ofSeconds(1));

            assertEquals(frames, results.tracks.size(), "one tracks record per frame");
            Map<String, Set<Long>> ids = trackIdsByLabel(results.tracks);
            assertEquals(Set.of(PERSON, CAR), ids.keySet(), ids::toString);
            long disc = onlyId(ids, PERSON);
            long box = onlyId(ids, CAR);
            assertNotEquals(disc, box);
            assertBothTrackedFromConfirmationOn(results.tracks, disc, box);

            List<FrameAnalytics> withCrossings = results.analytics.stream()
                    .filter(a -> !a.getCrossings().isEmpty()).toList();
            assertEquals(1, withCrossings.size(), "one frame with a crossing: " + withCrossings);
            FrameAnalytics crossed = withCrossings.get(0);
            assertEquals(List.of(new LineCrossing("gate", disc, classOf(results.tracks, disc), CrossingDirection.IN)),
                    crossed.getCrossings());
            assertCrossedWhereTheDiscPasses(0.5, crossed.getSequence());

            List<CameraStats> closed = results.stats.stream().filter(CameraStats::getFinal$).toList();
            assertEquals(List.of(start, start.plusSeconds(1), start.plusSeconds(2)),
                    closed.stream().map(CameraStats::getWindowStart).toList(),
                    "the 1 s windows closed by the last frame, in order");
            assertEquals(List.of(10L, 10L, 10L), closed.stream().map(CameraStats::getFrames).toList());
            assertEquals(frames - 1, closed.stream().mapToLong(CameraStats::getFrames).sum(),
                    "the closed windows hold every frame but the last, whose window is still open");
            assertEquals(1, lineCount(closed, "gate", CrossingDirection.IN));
            assertEquals(0, lineCount(closed, "gate", CrossingDirection.OUT));
            closed.forEach(window -> window.getClasses().forEach(c -> assertEquals(1, c.getUniqueTracks(),
                    window.getWindowStart() + " " + c.getLabel())));
        }
    }

    @Test
    void aClosedInstancesCamerasKeepTheirTrackIdsOnTheOtherInstanceAndEitherInstanceAnswersForEveryCamera()
            throws Exception {
        Map<String, String> settings = settings("failover", 2);
        // longer than any wait here: only a closed instance leaving the group moves its partitions in time
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "120000");
        EmoStreamAppConfig shared = provision(settings);
        List<String> cameras = TestFrames.camerasOnDistinctPartitions(2, 2);
        Instant start = recentWholeSecond();
        int frames = video.frames();
        int third = frames / 3;

        try (AnalyticsCollector results = new AnalyticsCollector(kafka.bootstrapServers(), shared);
             EmoStreamApp a = app(instance(settings, "a"));
             EmoStreamApp b = app(instance(settings, "b"))) {
            a.start();
            b.start();
            // the assignor may give both cameras' partitions to one instance: then that one is closed
            Eventually.await("both instances run and agree which owns each camera", WAIT, () -> running(a)
                    && running(b) && cameras.stream().allMatch(c -> !owner(a, c).isEmpty()
                    && owner(a, c).equals(owner(b, c))));
            EmoStreamApp closing = owner(a, cameras.get(0)).equals(address(a)) ? a : b;
            EmoStreamApp survivor = closing == a ? b : a;
            List<String> moving = cameras.stream().filter(c -> owner(a, c).equals(address(closing))).toList();

            produce(shared, cameras, 0, third, start);
            results.pollUntil("the first third of every camera's frames is tracked",
                    r -> cameras.stream().allMatch(c -> r.trackedFrames(c).size() == third), STALL);
            Instant lastSoFar = ShapeVideo.captureTime(start, third - 1);
            for (String camera : cameras) {
                EmoStreamApp owner = owner(a, camera).equals(address(a)) ? a : b;
                EmoStreamApp other = owner == a ? b : a;
                long disc = onlyId(trackIdsByLabel(ofCamera(results.tracks, camera)), PERSON);
                Eventually.await(address(other) + " answers for " + camera + " from " + address(owner), WAIT,
                        () -> answersWithDisc(other, camera, address(owner), lastSoFar, disc));
                JsonNode list = QueryApiClient.get(address(other), "/api/cameras").json();
                assertEquals(cameras.stream().sorted().toList(), list.get("cameras").findValuesAsText("cameraId"),
                        "instance " + address(other) + " lists every camera");
            }

            produce(shared, cameras, third, 2 * third, start);
            int before = results.tracks.size();
            results.pollUntil("some of the second third is tracked", r -> r.tracks.size() > before, STALL);
            closing.close(); // mid-stream: its cameras' tracker state moves to the survivor through the changelog
            Eventually.await("the closed instance left the group", WAIT, () -> groupMembers(shared) == 1);
            produce(shared, cameras, 2 * third, frames, start);
            results.pollUntil("every frame of every camera is detected and tracked", r -> cameras.stream()
                    .allMatch(c -> r.detectedFrames(c).size() == frames && r.trackedFrames(c).size() == frames),
                    STALL);
            results.drain(Duration.ofSeconds(1));

            assertEquals(List.of(), results.deadLetters, "no frame was dead-lettered");
            Set<Long> every = LongStream.range(0, frames).boxed().collect(Collectors.toCollection(TreeSet::new));
            Instant last = ShapeVideo.captureTime(start, frames - 1);
            for (String camera : cameras) {
                // at_least_once: a frame in flight on the closed instance may have two results; none has none
                assertEquals(every, results.detectedFrames(camera), camera + ": a detection for every frame");
                assertEquals(every, results.trackedFrames(camera), camera + ": a tracks record for every frame");
                List<FrameTracks> tracks = ofCamera(results.tracks, camera);
                Map<String, Set<Long>> ids = trackIdsByLabel(tracks);
                long disc = onlyId(ids, PERSON);
                assertBothTrackedFromConfirmationOn(tracks, disc, onlyId(ids, CAR));
                TrackedObject lastDisc = tracks.stream().filter(t -> t.getSequence() == frames - 1).findFirst()
                        .orElseThrow().getTracks().stream().filter(o -> o.getTrackId() == disc).findFirst()
                        .orElseThrow();
                assertEquals(last.toEpochMilli() - start.toEpochMilli(), lastDisc.getAgeMs(),
                        camera + ": the disc's track is as old as the video, not restarted at the failover");
                assertEquals(frames, lastDisc.getHits(), camera + ": matched in every frame");
            }
            for (String camera : moving) {
                long disc = onlyId(trackIdsByLabel(ofCamera(results.tracks, camera)), PERSON);
                Eventually.await(address(survivor) + " answers for the moved camera " + camera + " itself", WAIT,
                        () -> answersWithDisc(survivor, camera, address(survivor), last, disc));
            }
        }
    }

    @Test
    void aCameraConfigPublishedMidStreamReplacesTheLinesForLaterFramesAndAGarbageRecordIsDeadLettered()
            throws Exception {
        String camera = "lobby-cam";
        Map<String, String> settings = settingsWithLines("config", camera, "{id: early, a: [0.25, 1], b: [0.25, 0]}",
                "{id: late, a: [0.75, 1], b: [0.75, 0]}");
        EmoStreamAppConfig config = provision(settings);
        Instant start = recentWholeSecond();
        int frames = video.frames();
        int switchAt = frames / 3;
        CameraConfig middleOnly = new CameraConfig(camera, List.of(),
                List.of(new LineConfig("middle", new Point(0.5, 1.0), new Point(0.5, 0.0))));
        byte[] garbage = "lines: everywhere".getBytes(StandardCharsets.UTF_8);
        String configTopic = config.analyticsTopics().cameraConfig();

        try (AnalyticsCollector results = new AnalyticsCollector(kafka.bootstrapServers(), config);
             EmoStreamApp app = app(config)) {
            app.start();
            produce(config, List.of(camera), 0, switchAt, start);
            results.pollUntil("the frames before the change are analysed",
                    r -> r.analysedFrames(camera).size() == switchAt, STALL);
            kafka.send(List.of(new ProducerRecord<>(configTopic, camera, AvroSerdes.cameraConfig().serialize(configTopic,
                    middleOnly)), new ProducerRecord<>(configTopic, camera, garbage)));
            results.pollUntil("the garbage record is dead-lettered", r -> !r.deadLetters.isEmpty(), STALL);
            Eventually.await("the application's table holds the new configuration", WAIT,
                    () -> middleOnly.equals(configTable(app).get(camera)));
            produce(config, List.of(camera), switchAt, frames, start);
            results.pollUntil("every frame is analysed", r -> r.analysedFrames(camera).size() == frames, STALL);
            results.drain(Duration.ofSeconds(1));

            Map<String, Long> crossedAt = new TreeMap<>();
            for (FrameAnalytics frame : results.analytics) {
                for (LineCrossing c : frame.getCrossings()) {
                    assertEquals(CrossingDirection.IN, c.getDirection(), c.toString());
                    assertNull(crossedAt.put(c.getLineId(), frame.getSequence()), "crossed twice: " + c);
                }
            }
            assertEquals(Set.of("early", "middle"), crossedAt.keySet(),
                    "the file's lines before the change, the topic's after it; 'late' is gone");
            assertTrue(crossedAt.get("early") < switchAt && crossedAt.get("middle") >= switchAt, crossedAt::toString);
            assertCrossedWhereTheDiscPasses(0.25, crossedAt.get("early"));
            assertCrossedWhereTheDiscPasses(0.5, crossedAt.get("middle"));

            assertEquals(1, results.deadLetters.size(), results.deadLetters::toString);
            DeadLetter rejected = results.deadLetters.get(0);
            assertEquals(DeadLetterReason.INVALID_CAMERA_CONFIG, rejected.getReason());
            assertEquals(FailureStage.CAMERA_CONFIG.id(), rejected.getStage());
            assertEquals(configTopic, rejected.getTopic());
            assertArrayEquals(camera.getBytes(StandardCharsets.UTF_8), bytes(rejected.getKey()));
            assertArrayEquals(garbage, bytes(rejected.getValue()));
        }
    }

    /** Distinct topics, state directory and application id per test; segmentation off (no segmenter given). */
    private static Map<String, String> settings(String name, int partitions) {
        Map<String, String> s = TestApps.settings(kafka.bootstrapServers(), dir, name, partitions);
        s.put(EmoStreamConfig.SEGMENTATION_ENABLED, "false");
        return s;
    }

    /** One of several instances: a state directory of its own and the query API on a free loopback port. */
    private static EmoStreamAppConfig instance(Map<String, String> settings, String name) throws IOException {
        Map<String, String> s = new HashMap<>(settings);
        s.put(StreamsConfig.STATE_DIR_CONFIG, settings.get(StreamsConfig.STATE_DIR_CONFIG) + "-" + name);
        s.put(HttpSettings.HTTP_PORT, String.valueOf(QueryApiClient.freePort()));
        s.put(HttpSettings.HTTP_BIND_ADDRESS, "127.0.0.1");
        s.put(HttpSettings.HTTP_ADVERTISED_HOST, "127.0.0.1");
        return new EmoStreamAppConfig(s);
    }

    private static EmoStreamAppConfig provision(Map<String, String> settings) throws Exception {
        EmoStreamAppConfig config = new EmoStreamAppConfig(settings);
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.ensure(admin, config);
        }
        return config;
    }

    /** With frames in flight, the fixture answers 20 ms late from another thread, so that some are. */
    private static EmoStreamApp app(EmoStreamAppConfig config) {
        Telemetry telemetry = Telemetry.start();
        ProcessingSettings processing = config.processingSettings();
        Predictor<DetectionResult> detector = processing.inFlightMax() > 1
                ? new LateAnswers<>(new ShapeFixtureDetector(), 20) : new ShapeFixtureDetector();
        return new EmoStreamApp(config, EmoStreams.withPredictors(detector, null, processing, telemetry.registry()),
                telemetry);
    }

    /** {@link #settings} on one partition, with a cameras config file giving {@code camera} these lines (YAML). */
    private static Map<String, String> settingsWithLines(String name, String camera, String... lines)
            throws IOException {
        StringBuilder yaml = new StringBuilder("cameras:\n  " + camera + ":\n    lines:\n");
        for (String line : lines) yaml.append("      - ").append(line).append('\n');
        Map<String, String> s = settings(name, 1);
        Path file = Files.writeString(dir.resolve(name + "-cameras.yaml"), yaml);
        s.put(ZoneAnalytics.CAMERAS_CONFIG_FILE, file.toString());
        return s;
    }

    /** Recent, so the broker keeps the records, and on a whole second, so each 1 s window holds 10 frames. */
    private static Instant recentWholeSecond() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);
    }

    /** Frames {@code from} (inclusive) to {@code to} (exclusive) of each camera's copy of the video. */
    private static void produce(EmoStreamConfig config, List<String> cameras, int from, int to, Instant start) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            for (String camera : cameras) {
                records.add(new ProducerRecord<>(config.topics().frames(), camera, video.frame(camera, i, start)));
            }
        }
        kafka.send(records);
    }

    private static String address(EmoStreamApp app) {
        return "127.0.0.1:" + app.httpPort();
    }

    private static boolean running(EmoStreamApp app) {
        return app.streams().state() == KafkaStreams.State.RUNNING;
    }

    /** The address of the instance that {@code asked} knows to own the camera's partition, or "" when unknown. */
    private static String owner(EmoStreamApp asked, String camera) {
        KeyQueryMetadata owner = asked.streams().queryMetadataForKey(CameraStatusBoard.STATUS_STORE, camera,
                Serdes.String().serializer());
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) return "";
        return owner.activeHost().host() + ":" + owner.activeHost().port();
    }

    /** Whether {@code asked} answers for the camera from {@code answerer}'s stores, at its frame {@code at}. */
    private static boolean answersWithDisc(EmoStreamApp asked, String camera, String answerer, Instant at, long disc)
            throws Exception {
        QueryApiClient.Reply reply = QueryApiClient.get(address(asked), "/api/cameras/" + camera);
        if (reply.status() != 200) return false;
        JsonNode detail = reply.json();
        assertEquals(answerer, reply.instance(), "asked " + address(asked) + " for " + camera);
        assertTrue(detail.get("warning").asText().contains("untrained"), detail.toString());
        assertFalse(detail.get("model").get("trained").asBoolean());
        return detail.get("lastFrameTime").asText().equals(at.toString())
                && detail.get("tracks").findValues("trackId").stream().anyMatch(id -> id.asLong() == disc);
    }

    private static int groupMembers(EmoStreamConfig config) throws Exception {
        String group = config.getString(EmoStreamAppConfig.APPLICATION_ID);
        try (Admin admin = kafka.admin()) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
        }
    }

    private static ReadOnlyKeyValueStore<String, CameraConfig> configTable(EmoStreamApp app) {
        return app.streams().store(StoreQueryParameters.fromNameAndType(CameraAnalytics.CAMERA_CONFIG_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    private static List<FrameTracks> ofCamera(List<FrameTracks> tracks, String camera) {
        return tracks.stream().filter(t -> t.getCameraId().equals(camera)).toList();
    }

    private static Map<String, Set<Long>> trackIdsByLabel(Collection<FrameTracks> records) {
        return records.stream().flatMap(t -> t.getTracks().stream()).collect(Collectors.groupingBy(
                TrackedObject::getLabel, TreeMap::new,
                Collectors.mapping(TrackedObject::getTrackId, Collectors.toCollection(TreeSet::new))));
    }

    private static long onlyId(Map<String, Set<Long>> idsByLabel, String label) {
        Set<Long> ids = idsByLabel.getOrDefault(label, Set.of());
        assertEquals(1, ids.size(), "one " + label + " track over the whole run: " + idsByLabel);
        return ids.iterator().next();
    }

    private static int classOf(List<FrameTracks> tracks, long trackId) {
        return tracks.stream().flatMap(t -> t.getTracks().stream()).filter(o -> o.getTrackId() == trackId)
                .findFirst().orElseThrow().getClassId();
    }

    /** Each shape's track is confirmed at its CONFIRM_HITS-th frame and in every frame from then on. */
    private static void assertBothTrackedFromConfirmationOn(List<FrameTracks> tracks, long disc, long box) {
        for (FrameTracks frame : tracks) {
            Set<Long> ids = frame.getTracks().stream().map(TrackedObject::getTrackId).collect(Collectors.toSet());
            Set<Long> expected = frame.getSequence() < CONFIRM_HITS - 1 ? Set.of() : Set.of(disc, box);
            assertEquals(expected, ids, frame.getCameraId() + " frame " + frame.getSequence());
        }
    }

    /** Tracked boxes are filtered, so the crossing may come a frame either side of the drawn disc's. */
    private static void assertCrossedWhereTheDiscPasses(double x, long crossedAt) {
        int passes = video.firstFrameWithDiscRightOf(x);
        assertTrue(Math.abs(crossedAt - passes) <= 1, "crossed x = " + x + " at frame " + crossedAt
                + ", the disc passes it at frame " + passes);
    }

    private static long lineCount(List<CameraStats> windows, String line, CrossingDirection direction) {
        return windows.stream().flatMap(w -> w.getLines().stream()).filter(l -> l.getLineId().equals(line))
                .mapToLong(direction == CrossingDirection.IN ? LineStats::getIn : LineStats::getOut).sum();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
