package io.emostream.topology.analytics;

import io.emostream.processors.FailureStage;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.DeadLetterReason;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.LineCrossing;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.RunLengthMask;
import io.emostream.schemas.StageLatencies;
import io.emostream.schemas.TrackedObject;
import io.emostream.schemas.ZoneConfig;
import io.emostream.schemas.ZoneExit;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.schemas.state.ZoneAnalyticsState;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.emostream.processors.analytics.CameraConfigs.line;
import static io.emostream.processors.analytics.CameraConfigs.zone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zones topology on {@link TopologyTestDriver}: hand-written trajectories of boxes on a 1000x1000 frame (pixels
 * / 1000 are the fractions), a cameras config file's entries, and records on the camera configuration topic.
 */
class ZoneAnalyticsTopologyTest {
    private static final int SIZE = 1000;
    private static final String DLQ = "frames-dlq";
    /** From the file: the zone door (0.1..0.4 square) and the line gate at x = 0.5, drawn downwards. */
    private static final CameraConfig FILE_CAM_1 = config("cam-1",
            List.of(zone("door", 0.1, 0.1, 0.4, 0.1, 0.4, 0.4, 0.1, 0.4)), List.of(line("gate", 0.5, 0.2, 0.5, 0.8)));
    /** Published on the topic: the line gate moved to x = 0.3, no zones. */
    private static final CameraConfig MOVED_GATE = config("cam-1", List.of(), List.of(line("gate", 0.3, 0.2, 0.3, 0.8)));

    private final ZoneAnalytics.Settings settings = ZoneAnalytics.Settings.defaults()
            .withFileConfigs(Map.of("cam-1", FILE_CAM_1));
    private TopologyTestDriver driver;
    private TestInputTopic<String, FrameTracks> tracks;
    private TestInputTopic<String, FrameSegmentation> segmentations;
    private TestInputTopic<byte[], byte[]> cameraConfig;
    private TestOutputTopic<String, FrameAnalytics> analytics;
    private TestOutputTopic<String, FrameOccupancy> occupancy;
    private TestOutputTopic<String, CameraConfig> accepted;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private long clock = 1_000_000;
    private long sequence;

    private void start() {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, FrameTracks> trackStream = builder.stream("tracks",
                Consumed.with(Serdes.String(), AvroSerdes.frameTracks()));
        KStream<String, FrameSegmentation> segmentationStream = builder.stream("segmentations",
                Consumed.with(Serdes.String(), AvroSerdes.frameSegmentation()));
        ZoneAnalytics zones = ZoneAnalytics.addTo(builder, settings, "zones-");
        ZoneAnalytics.Output<FrameAnalytics> frameAnalytics = zones.analytics(trackStream);
        ZoneAnalytics.Output<FrameOccupancy> frameOccupancy = zones.occupancy(segmentationStream);
        frameAnalytics.results().to(settings.analyticsTopic(), Produced.with(Serdes.String(), AvroSerdes.frameAnalytics()));
        frameOccupancy.results().to(settings.occupancyTopic(),
                Produced.with(Serdes.String(), AvroSerdes.frameOccupancy()));
        zones.configDeadLetters().merge(frameAnalytics.deadLetters()).merge(frameOccupancy.deadLetters())
                .to(DLQ, Produced.with(Serdes.String(), AvroSerdes.deadLetter()));

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "zones-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props);
        tracks = driver.createInputTopic("tracks", new StringSerializer(), AvroSerdes.frameTracks().serializer());
        segmentations = driver.createInputTopic("segmentations", new StringSerializer(),
                AvroSerdes.frameSegmentation().serializer());
        cameraConfig = driver.createInputTopic(settings.configTopic(), new ByteArraySerializer(),
                new ByteArraySerializer());
        analytics = driver.createOutputTopic(settings.analyticsTopic(), new StringDeserializer(),
                AvroSerdes.frameAnalytics().deserializer());
        occupancy = driver.createOutputTopic(settings.occupancyTopic(), new StringDeserializer(),
                AvroSerdes.frameOccupancy().deserializer());
        accepted = driver.createOutputTopic(settings.acceptedConfigTopic(), new StringDeserializer(),
                AvroSerdes.cameraConfig().deserializer());
        deadLetters = driver.createOutputTopic(DLQ, new StringDeserializer(), AvroSerdes.deadLetter().deserializer());
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) driver.close();
    }

    static CameraConfig config(String camera, List<ZoneConfig> zones, List<LineConfig> lines) {
        return new CameraConfig(camera, zones, lines);
    }

    /** A person whose box's bottom centre, the default reference point, is at (x, y) in fractions. */
    private static TrackedObject person(long trackId, double x, double y) {
        float fx = (float) (x * SIZE);
        float fy = (float) (y * SIZE);
        return TrackedObject.newBuilder().setTrackId(trackId).setClassId(1).setLabel("person").setScore(0.9f)
                .setBox(new PixelBox(fx - 20, fy - 100, fx + 20, fy)).setAgeMs(0).setHits(3).setVelocityX(0)
                .setVelocityY(0).build();
    }

    /** One frame of cam-1, {@code afterMs} after the previous one. */
    private FrameAnalytics frame(long afterMs, List<Long> ended, TrackedObject... objects) {
        clock += afterMs;
        tracks.pipeInput("cam-1", FrameTracks.newBuilder().setCameraId("cam-1").setSequence(sequence++)
                .setCaptureTimestamp(Instant.ofEpochMilli(clock)).setFrameWidth(SIZE).setFrameHeight(SIZE)
                .setModel(new ModelInfo("fixture-tracks", "0", false, "cpu")).setTracks(List.of(objects))
                .setEndedTrackIds(ended).build(), clock);
        List<FrameAnalytics> out = analytics.readValuesToList();
        assertEquals(1, out.size(), "one FrameAnalytics per FrameTracks");
        return out.get(0);
    }

    private FrameAnalytics frame(TrackedObject... objects) {
        return frame(40, List.of(), objects);
    }

    /** Walks track {@code trackId} along the points, one frame each, and returns its crossings. */
    private List<LineCrossing> walk(long trackId, double... xy) {
        List<LineCrossing> crossings = new ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) crossings.addAll(frame(person(trackId, xy[i], xy[i + 1])).getCrossings());
        return crossings;
    }

    private void publish(String key, byte[] value) {
        cameraConfig.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static byte[] bytes(CameraConfig config) {
        return AvroSerdes.cameraConfig().serialize("camera-config", config);
    }

    @Test
    void handWrittenTrajectoriesCrossTheLineOnceEachWayAndDwellInTheZone() {
        start();
        // track 1 walks right to left across the gate, then back; the gate points down, so right to left is IN
        List<LineCrossing> crossings = walk(1, 0.8, 0.5, 0.6, 0.5, 0.55, 0.52, 0.45, 0.52, 0.3, 0.5, 0.45, 0.5,
                0.7, 0.5);
        assertEquals(List.of(new LineCrossing("gate", 1L, 1, CrossingDirection.IN),
                new LineCrossing("gate", 1L, 1, CrossingDirection.OUT)), crossings);

        // track 2 enters the door zone, stays 3 s, and leaves
        assertEquals(0, frame(1_000, List.of(), person(2, 0.05, 0.2)).getZones().get(0).getObjects());
        FrameAnalytics entered = frame(1_000, List.of(), person(2, 0.2, 0.2));
        assertEquals(1, entered.getZones().get(0).getObjects());
        assertEquals(1, frame(1_500, List.of(), person(2, 0.3, 0.3)).getZones().get(0).getObjects());
        FrameAnalytics left = frame(1_500, List.of(), person(2, 0.45, 0.3));
        assertEquals("door", left.getZones().get(0).getZoneId());
        assertEquals(0, left.getZones().get(0).getObjects());
        assertEquals(List.of(new ZoneExit(2L, 1, 3_000L)), left.getZones().get(0).getExits());
        assertEquals(List.of(), deadLetters.readValuesToList());
    }

    @Test
    void endedTracksExitTheirZonesAndLeaveTheStateStore() {
        start();
        frame(person(1, 0.2, 0.2), person(2, 0.3, 0.3), person(3, 0.8, 0.8));
        frame(2_000, List.of(), person(1, 0.2, 0.2), person(3, 0.8, 0.8));
        FrameAnalytics ended = frame(500, List.of(1L, 2L, 3L));
        assertEquals(List.of(new ZoneExit(1L, 1, 2_000L), new ZoneExit(2L, 1, 0L)),
                ended.getZones().get(0).getExits());
        KeyValueStore<String, ZoneAnalyticsState> store = driver.getKeyValueStore("zones-zone-tracks");
        assertEquals(List.of(), store.get("cam-1").getTracks());
    }

    @Test
    void aConfigurationPublishedOnTheTopicMidStreamTakesEffectOnTheNextFrames() {
        start();
        assertEquals(1, walk(1, 0.6, 0.5, 0.4, 0.5).size(), "the file's gate at x = 0.5");
        publish("cam-1", bytes(MOVED_GATE));
        assertEquals(List.of(MOVED_GATE), accepted.readValuesToList());

        assertEquals(List.of(), walk(1, 0.6, 0.5), "the gate at x = 0.5 is gone");
        assertEquals(List.of(new LineCrossing("gate", 1L, 1, CrossingDirection.IN)), walk(1, 0.2, 0.5));
        assertEquals(List.of(), frame(person(2, 0.2, 0.2)).getZones(), "the topic's record has no zones");
        assertEquals(List.of(), deadLetters.readValuesToList());
    }

    @Test
    void aBadConfigurationRecordIsDeadLetteredAndThePreviousConfigurationStays() {
        start();
        publish("cam-1", bytes(MOVED_GATE));
        byte[] bowTie = bytes(config("cam-1", List.of(zone("bow", 0.1, 0.1, 0.9, 0.9, 0.9, 0.1, 0.1, 0.9)),
                List.of()));
        byte[] notAvro = "{\"zones\": []}".getBytes(StandardCharsets.UTF_8);
        byte[] otherCamera = bytes(config("cam-2", List.of(), List.of()));
        publish("cam-1", bowTie);
        publish("cam-1", notAvro);
        publish("cam-1", otherCamera);
        publish(null, bytes(MOVED_GATE));

        assertEquals(List.of(MOVED_GATE), accepted.readValuesToList(), "only the valid record is accepted");
        List<DeadLetter> rejected = deadLetters.readValuesToList();
        assertEquals(4, rejected.size());
        rejected.forEach(d -> {
            assertEquals(FailureStage.CAMERA_CONFIG.id(), d.getStage());
            assertEquals(DeadLetterReason.INVALID_CAMERA_CONFIG, d.getReason());
            assertEquals(settings.configTopic(), d.getTopic());
        });
        assertTrue(rejected.get(0).getErrorMessage().startsWith("camera 'cam-1': zone 'bow' is self-intersecting"),
                rejected.get(0).getErrorMessage());
        assertArrayEquals(bowTie, rejected.get(0).getValue().array(), "the original bytes are kept");
        assertEquals(1, rejected.get(0).getOffset(), "the second record on the topic");
        assertEquals("SerializationException", rejected.get(1).getErrorClass());
        assertEquals("the record's key 'cam-1' is not its cameraId 'cam-2': key each camera configuration by the "
                + "id of the camera it configures", rejected.get(2).getErrorMessage());
        assertNull(rejected.get(3).getKey());

        // the published gate at x = 0.3 still counts, the file's at x = 0.5 does not come back
        assertEquals(List.of(new LineCrossing("gate", 1L, 1, CrossingDirection.IN)), walk(1, 0.6, 0.5, 0.4, 0.5,
                0.2, 0.5));
    }

    @Test
    void aTombstoneOnTheTopicBringsTheCameraBackToItsFileConfiguration() {
        start();
        publish("cam-1", bytes(MOVED_GATE));
        publish("cam-1", null);
        List<CameraConfig> copied = accepted.readValuesToList();
        assertEquals(2, copied.size());
        assertNull(copied.get(1), "the tombstone is copied");
        assertEquals(List.of(new LineCrossing("gate", 1L, 1, CrossingDirection.IN)), walk(1, 0.6, 0.5, 0.4, 0.5,
                0.2, 0.5));
        assertEquals(List.of("door"), frame(person(2, 0.2, 0.2)).getZones().stream().map(z -> z.getZoneId()).toList());
    }

    @Test
    void aCameraWithNoConfigurationAnywhereHasNoZonesAndNoCrossings() {
        start();
        tracks.pipeInput("cam-9", FrameTracks.newBuilder().setCameraId("cam-9").setSequence(0)
                .setCaptureTimestamp(Instant.ofEpochMilli(clock)).setFrameWidth(SIZE).setFrameHeight(SIZE)
                .setModel(new ModelInfo("fixture-tracks", "0", false, "cpu"))
                .setTracks(List.of(person(1, 0.6, 0.5))).build());
        FrameAnalytics out = analytics.readValue();
        assertEquals(List.of(), out.getZones());
        assertEquals(1, out.getObjects().size());
    }

    private static FrameSegmentation segmentation(String camera, int width, int height, List<Integer> classIds,
                                                  List<Integer> runs) {
        return FrameSegmentation.newBuilder().setCameraId(camera).setSequence(4)
                .setCaptureTimestamp(Instant.EPOCH).setIngestTimestamp(Instant.EPOCH)
                .setInferenceTimestamp(Instant.EPOCH).setFrameWidth(SIZE).setFrameHeight(SIZE)
                .setMaskWidth(width).setMaskHeight(height).setModel(new ModelInfo("fixture-masks", "0", false, "cpu"))
                .setMask(new RunLengthMask(classIds, runs))
                .setClassFractions(List.of(new ClassFraction(0, "floor", 0f), new ClassFraction(3, "person", 0f)))
                .setLatencies(StageLatencies.newBuilder().build()).build();
    }

    @Test
    void occupancyIsReportedOverallAndForEachZoneOfTheCamera() {
        start();
        // 10x10 mask: rows 0-4 floor, rows 5-9 person; the door zone (0.1..0.4) covers rows 1-3: all floor
        segmentations.pipeInput("cam-1", segmentation("cam-1", 10, 10, List.of(0, 3), List.of(50, 50)));
        FrameOccupancy out = occupancy.readValue();
        assertEquals(List.of(new ClassFraction(0, "floor", 0.5f), new ClassFraction(3, "person", 0.5f)),
                out.getClassFractions());
        assertEquals(1, out.getZones().size());
        assertEquals("door", out.getZones().get(0).getZoneId());
        assertEquals(List.of(new ClassFraction(0, "floor", 1f)), out.getZones().get(0).getClassFractions());

        publish("cam-1", bytes(config("cam-1", List.of(zone("lower", 0, 0.5, 1, 0.5, 1, 1, 0, 1)), List.of())));
        segmentations.pipeInput("cam-1", segmentation("cam-1", 10, 10, List.of(0, 3), List.of(50, 50)));
        assertEquals(List.of(new ClassFraction(3, "person", 1f)),
                occupancy.readValue().getZones().get(0).getClassFractions());
    }

    @Test
    void aSegmentationWhoseMaskDoesNotMatchItsSizeIsDeadLettered() {
        start();
        FrameSegmentation broken = segmentation("cam-1", 10, 10, List.of(0), List.of(99));
        segmentations.pipeInput("cam-1", broken);
        assertTrue(occupancy.isEmpty());
        DeadLetter letter = deadLetters.readValue();
        assertEquals(FailureStage.OCCUPANCY.id(), letter.getStage());
        assertEquals(DeadLetterReason.UNUSABLE_RESULT, letter.getReason());
        assertEquals("segmentation of frame 4 of camera cam-1: the mask's runs cover 99 pixels, not 10x10",
                letter.getErrorMessage());
        assertEquals(broken, AvroSerdes.frameSegmentation().deserialize("segmentations", letter.getValue().array()));
    }
}
