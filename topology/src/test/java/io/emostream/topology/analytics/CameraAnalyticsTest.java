package io.emostream.topology.analytics;

import io.emostream.processors.tracking.TrackerSettings;
import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameDetections;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.LineCrossing;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.NormalizedBox;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.StageLatencies;
import io.emostream.schemas.TrackerState;
import io.emostream.schemas.ZoneState;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.schemas.state.ZoneAnalyticsState;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analytics as the application composes them, on {@link TopologyTestDriver}. */
class CameraAnalyticsTest {
    private static final String DLQ = "frames-dlq";
    private static final String CAMERA = "cam-1";
    private static final int SIZE = 1000;
    private static final long FRAME_MS = 40;
    private static final ModelInfo MODEL = new ModelInfo("emo-1m-ssdlite", "0.1.0", false, "cpu");

    @TempDir
    Path dir;
    private TopologyTestDriver driver;

    @AfterEach
    void closeDriver() {
        if (driver != null) driver.close();
    }

    @Test
    void theTopicsReadBackFromTheirSettingsAreTheSameTopics() {
        CameraAnalytics.Topics topics = new CameraAnalytics.Topics("t", "fa", "fo", "cs", "cc", "cca");
        assertEquals(topics, CameraAnalytics.topics(new AbstractConfig(CameraAnalytics.define(new ConfigDef()),
                topics.settings())));
    }

    /**
     * A thousand people walk through one camera's view, left to right, one every 4 frames on 5 lanes: 50 frames
     * each, so 12 or 13 are in view at a time. Each is tracked, crosses the gate and passes through the zone once, and
     * both per-camera stores, the tracker's and the zone analytics', keep only the tracks still in view or not yet
     * ended (a confirmed track ends after 30 frames without a detection), so their size does not grow with the
     * people who have gone; once the last has gone, they are empty.
     */
    @Test
    void aThousandPeoplePassingThroughOneCameraLeaveTheTrackerAndZoneStoresBounded() throws IOException {
        Path cameras = Files.writeString(dir.resolve("cameras.yaml"), """
                cameras:
                  cam-1:
                    zones:
                      - {id: middle, points: [[0.3, 0], [0.7, 0], [0.7, 1], [0.3, 1]]}
                    lines:
                      - {id: gate, a: [0.5, 0], b: [0.5, 1]}
                """);
        AbstractConfig config = new AbstractConfig(CameraAnalytics.define(new ConfigDef()),
                Map.of(ZoneAnalytics.CAMERAS_CONFIG_FILE, cameras.toString()));
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, FrameDetections> detections = builder.stream("detections",
                Consumed.with(Serdes.String(), AvroSerdes.frameDetections()));
        KStream<String, FrameSegmentation> segmentations = builder.stream("segmentations",
                Consumed.with(Serdes.String(), AvroSerdes.frameSegmentation()));
        CameraAnalytics.addTo(builder, detections, segmentations, config, 1_000_000, new SimpleMeterRegistry())
                .to(CameraAnalytics.topics(config), DLQ);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analytics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        driver = new TopologyTestDriver(builder.build(), props);
        TestInputTopic<String, FrameDetections> input = driver.createInputTopic("detections",
                new StringSerializer(), AvroSerdes.frameDetections().serializer());
        TestOutputTopic<String, FrameAnalytics> analytics = driver.createOutputTopic(
                config.getString(ZoneAnalytics.FRAME_ANALYTICS_TOPIC), new StringDeserializer(),
                AvroSerdes.frameAnalytics().deserializer());
        TestOutputTopic<String, DeadLetter> deadLetters = driver.createOutputTopic(DLQ, new StringDeserializer(),
                AvroSerdes.deadLetter().deserializer());

        int people = 1_000, spacing = 4, crossingFrames = 50;
        int endFrames = TrackerSettings.defaults().maxMisses() + 1;
        Set<Long> crossed = new HashSet<>();
        int outCrossings = 0, exits = 0, mostTracks = 0, mostMemories = 0;
        for (int f = 0; f < spacing * (people - 1) + crossingFrames + endFrames; f++) {
            List<Detection> inView = new ArrayList<>();
            for (int p = Math.max(0, (f - crossingFrames) / spacing); p <= Math.min(people - 1, f / spacing); p++) {
                int step = f - spacing * p;
                if (step >= 0 && step < crossingFrames) inView.add(person(20 + 20 * step, 100 + 200 * (p % 5)));
            }
            input.pipeInput(CAMERA, frame(f, inView));
            for (FrameAnalytics frame : analytics.readValuesToList()) {
                for (LineCrossing c : frame.getCrossings()) {
                    crossed.add(c.getTrackId());
                    if (c.getDirection() == CrossingDirection.OUT) outCrossings++;
                }
                for (ZoneState zone : frame.getZones()) exits += zone.getExits().size();
            }
            mostTracks = Math.max(mostTracks, trackerState().getTracks().size());
            mostMemories = Math.max(mostMemories, zoneState().getTracks().size());
        }

        assertEquals(people, crossed.size(), "each person tracked and crossing the gate under its own track id");
        assertEquals(people, outCrossings, "left to right across a line drawn downwards is OUT");
        assertEquals(people, exits, "each person leaves the zone once");
        int bound = crossingFrames / spacing + endFrames / spacing + 1;
        assertTrue(mostTracks <= bound, "the tracker held " + mostTracks + " tracks, more than " + bound);
        assertTrue(mostMemories <= bound, "the zone analytics remembered " + mostMemories + " tracks, more than "
                + bound);
        assertEquals(List.of(), trackerState().getTracks(), "every track ended");
        assertEquals(List.of(), zoneState().getTracks(), "every ended track forgotten");
        assertEquals(List.of(), deadLetters.readValuesToList());
    }

    private TrackerState trackerState() {
        return driver.<String, TrackerState>getKeyValueStore(Tracking.storeName("emostream-tracking")).get(CAMERA);
    }

    private ZoneAnalyticsState zoneState() {
        return driver.<String, ZoneAnalyticsState>getKeyValueStore("emostream-zone-tracks").get(CAMERA);
    }

    /** A 60 x 120 person centred at (x, y). */
    private static Detection person(double x, double y) {
        float x1 = (float) (x - 30), y1 = (float) (y - 60);
        return new Detection(0, "person", 0.9f, new PixelBox(x1, y1, x1 + 60, y1 + 120),
                new NormalizedBox(x1 / SIZE, y1 / SIZE, (x1 + 60) / SIZE, (y1 + 120) / SIZE));
    }

    private static FrameDetections frame(long sequence, List<Detection> detections) {
        Instant capture = Instant.parse("2026-01-01T00:00:00Z").plusMillis(sequence * FRAME_MS);
        return FrameDetections.newBuilder().setCameraId(CAMERA).setSequence(sequence).setCaptureTimestamp(capture)
                .setIngestTimestamp(capture).setInferenceTimestamp(capture).setFrameWidth(SIZE).setFrameHeight(SIZE)
                .setModel(MODEL).setDetections(detections).setLatencies(new StageLatencies(0f, 0f, 0f, 0f, 1))
                .build();
    }
}
