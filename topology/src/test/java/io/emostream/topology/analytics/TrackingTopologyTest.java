package io.emostream.topology.analytics;

import io.emostream.processors.tracking.TrackerSettings;
import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.NormalizedBox;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.StageLatencies;
import io.emostream.schemas.TrackedObject;
import io.emostream.schemas.TrackerState;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.schemas.serde.TrackerStateSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracking processor on {@link TopologyTestDriver}: detections in, tracks out, state in a changelogged store. */
class TrackingTopologyTest {
    private static final String APP = "emostream-tracking-test";
    private static final String NAME = "tracking";
    private static final String CHANGELOG = APP + "-" + Tracking.storeName(NAME) + "-changelog";
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final long FRAME_MS = 40;
    private static final ModelInfo MODEL = new ModelInfo("emo-1m-ssdlite", "0.1.0", false, "cpu");

    private final List<TopologyTestDriver> drivers = new ArrayList<>();
    @TempDir
    Path stateDirs;

    @AfterEach
    void closeDrivers() {
        drivers.forEach(TopologyTestDriver::close);
    }

    /** One application instance: a driver with its input and output topics. */
    private final class Instance {
        final TopologyTestDriver driver;
        final TestInputTopic<String, FrameDetections> detections;
        final TestOutputTopic<String, FrameTracks> tracks;

        Instance(TrackerSettings settings) {
            StreamsBuilder builder = new StreamsBuilder();
            Tracking.addTo(builder.stream("detections", Consumed.with(Serdes.String(), AvroSerdes.frameDetections())),
                    settings, NAME).to("tracks", Produced.with(Serdes.String(), AvroSerdes.frameTracks()));
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            // Instances of one test run side by side, each with its own state, as on separate machines.
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDirs.resolve("instance-" + drivers.size()).toString());
            driver = new TopologyTestDriver(builder.build(), props, START);
            drivers.add(driver);
            detections = driver.createInputTopic("detections", new StringSerializer(),
                    AvroSerdes.frameDetections().serializer());
            tracks = driver.createOutputTopic("tracks", new StringDeserializer(),
                    AvroSerdes.frameTracks().deserializer());
        }

        FrameTracks send(FrameDetections frame) {
            detections.pipeInput(frame.getCameraId(), frame);
            return tracks.readValue();
        }

        KeyValueStore<String, TrackerState> store() {
            return driver.getKeyValueStore(Tracking.storeName(NAME));
        }
    }

    /** A frame of a 640 x 480 camera, captured {@code frame} frame periods after the start. */
    private static FrameDetections frame(String camera, long frame, Detection... detections) {
        Instant capture = START.plusMillis(frame * FRAME_MS);
        return FrameDetections.newBuilder()
                .setCameraId(camera)
                .setSequence(frame)
                .setCaptureTimestamp(capture)
                .setIngestTimestamp(capture)
                .setInferenceTimestamp(capture)
                .setFrameWidth(640)
                .setFrameHeight(480)
                .setModel(MODEL)
                .setDetections(List.of(detections))
                .setLatencies(new StageLatencies(0f, 0f, 0f, 0f, 1))
                .build();
    }

    /** A 40 x 80 person centred at (x, y). */
    private static Detection person(double x, double y) {
        float x1 = (float) (x - 20);
        float y1 = (float) (y - 40);
        return new Detection(0, "person", 0.9f, new PixelBox(x1, y1, x1 + 40, y1 + 80),
                new NormalizedBox(x1 / 640, y1 / 480, (x1 + 40) / 640, (y1 + 80) / 480));
    }

    private static List<Long> ids(FrameTracks tracks) {
        return tracks.getTracks().stream().map(TrackedObject::getTrackId).toList();
    }

    @Test
    void detectionsInGiveTracksOutWithIdsStablePerCamera() {
        Instance app = new Instance(TrackerSettings.defaults());
        for (long f = 0; f < 20; f++) {
            // Camera a: a person walking right at 100 px/s; camera b: two people standing.
            FrameTracks a = app.send(frame("a", f, person(100 + 4 * f, 200)));
            FrameTracks b = app.send(frame("b", f, person(100, 100), person(400, 300)));
            assertEquals(f >= 2 ? List.of(1L) : List.of(), ids(a), "frame " + f);
            assertEquals(f >= 2 ? List.of(1L, 2L) : List.of(), ids(b), "frame " + f + ": ids count per camera");
        }
        FrameTracks last = app.send(frame("a", 20, person(180, 200)));
        assertEquals("a", last.getCameraId());
        assertEquals(20, last.getSequence());
        assertEquals(START.plusMillis(20 * FRAME_MS), last.getCaptureTimestamp());
        assertEquals(640, last.getFrameWidth());
        assertEquals(480, last.getFrameHeight());
        assertFalse(last.getModel().getTrained(), "the tracks say their detections come from an untrained model");
        TrackedObject person = last.getTracks().get(0);
        assertEquals("person", person.getLabel());
        assertEquals(0.9f, person.getScore());
        assertEquals(21, person.getHits());
        assertEquals(20 * FRAME_MS, person.getAgeMs());
        assertEquals(100, person.getVelocityX(), 10);
        assertEquals(0, person.getVelocityY(), 10);
        assertEquals(180, (person.getBox().getX1() + person.getBox().getX2()) / 2, 3);
        assertTrue(last.getEndedTrackIds().isEmpty());
        try (KeyValueIterator<String, TrackerState> all = app.store().all()) {
            List<String> cameras = new ArrayList<>();
            all.forEachRemaining(entry -> cameras.add(entry.key));
            assertEquals(List.of("a", "b"), cameras, "one tracker per camera");
        }
    }

    @Test
    void endedTrackIsListedOnceAndEvictedFromTheStore() {
        TrackerSettings d = TrackerSettings.defaults();
        Instance app = new Instance(new TrackerSettings(d.highScore(), d.lowScore(), d.highMatchIou(),
                d.lowMatchIou(), 3, 4, d.maxLostMs(), d.maxTracks(), d.measurementNoise(), d.accelerationNoise(),
                d.initialVelocityNoise()));
        for (long f = 0; f < 5; f++) {
            app.send(frame("a", f, person(100, 100)));
        }
        List<List<Long>> ended = new ArrayList<>();
        for (long f = 5; f < 11; f++) {
            ended.add(app.send(frame("a", f)).getEndedTrackIds());
        }
        assertEquals(List.of(List.of(), List.of(), List.of(), List.of(1L), List.of(), List.of()), ended);
        assertTrue(app.store().get("a").getTracks().isEmpty());
    }

    @Test
    void lateOrRepeatedFrameIsAnsweredAndLeavesTheStateAsItWas() {
        Instance app = new Instance(TrackerSettings.defaults());
        for (long f = 0; f < 10; f++) {
            app.send(frame("a", f, person(100 + 4 * f, 200)));
        }
        TrackerState before = app.store().get("a");

        FrameTracks late = app.send(frame("a", 5, person(120, 200), person(500, 400)));
        FrameTracks repeated = app.send(frame("a", 9, person(136, 200)));

        assertEquals(List.of(1L), ids(late));
        assertEquals(120, (late.getTracks().get(0).getBox().getX1() + late.getTracks().get(0).getBox().getX2()) / 2);
        assertEquals(List.of(1L), ids(repeated));
        assertEquals(before, app.store().get("a"));
        FrameTracks next = app.send(frame("a", 10, person(140, 200)));
        assertEquals(List.of(1L), ids(next));
        assertEquals(11, next.getTracks().get(0).getHits());
    }

    @Test
    void anInstanceRestoredFromTheChangelogContinuesTheSameTrackIds() {
        List<FrameDetections> frames = new ArrayList<>();
        for (long f = 0; f < 40; f++) {
            // Two people crossing, and a third one appearing half way.
            List<Detection> detections = new ArrayList<>(List.of(person(100 + 6 * f, 200), person(400 - 6 * f, 230)));
            if (f >= 20) detections.add(person(500, 400));
            frames.add(frame("cam-7", f, detections.toArray(Detection[]::new)));
        }
        Instance uninterrupted = new Instance(TrackerSettings.defaults());
        List<FrameTracks> expected = frames.stream().map(uninterrupted::send).toList();

        Instance first = new Instance(TrackerSettings.defaults());
        frames.subList(0, 25).forEach(first::send);
        Map<String, TrackerState> changelog = new LinkedHashMap<>();
        TestOutputTopic<String, TrackerState> changes = first.driver.createOutputTopic(CHANGELOG,
                new StringDeserializer(), new TrackerStateSerde());
        for (KeyValue<String, TrackerState> change : changes.readKeyValuesToList()) {
            changelog.put(change.key, change.value);
        }
        first.driver.close();
        drivers.remove(first.driver);

        // The instance the partition moves to restores the store from the changelog, then carries on.
        Instance second = new Instance(TrackerSettings.defaults());
        changelog.forEach(second.store()::put);
        List<FrameTracks> continued = frames.subList(25, 40).stream().map(second::send).toList();

        assertEquals(List.of(1L, 2L, 3L), ids(continued.get(0)));
        assertEquals(expected.subList(25, 40), continued);
    }
}
