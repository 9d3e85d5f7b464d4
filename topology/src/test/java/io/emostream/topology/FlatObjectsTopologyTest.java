package io.emostream.topology;

import io.emostream.processors.ProcessingSettings;
import io.emostream.schemas.DetectedObject;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.analytics.FlatObjects;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run application's flat objects stream, on {@link TopologyTestDriver} with the test-double detector. */
class FlatObjectsTopologyTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final byte[] JPEG_64x48 = TestFrames.jpeg(64, 48);

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> frames;
    private TestOutputTopic<String, DetectedObject> objects;

    @AfterEach
    void closeDriver() {
        if (driver != null) driver.close();
    }

    private static Topology topology(Map<String, Object> settings) {
        EmoStreams emo = EmoStreams.withPredictors(FakePredictor.detector(), FakePredictor.segmenter(),
                ProcessingSettings.defaults());
        return EmoStreamApp.topology(emo, new EmoStreamAppConfig(settings));
    }

    private void start(Map<String, Object> settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "emostream-objects-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology(settings), props, START);
        frames = driver.createInputTopic("frames", new ByteArraySerializer(), new ByteArraySerializer());
        objects = driver.createOutputTopic("objects", new StringDeserializer(),
                AvroSerdes.detectedObject().deserializer());
    }

    private void pipe(String camera, long sequence) {
        frames.pipeInput(camera.getBytes(StandardCharsets.UTF_8), TestFrames.bytes(
                TestFrames.frame(camera, sequence, START.toEpochMilli() + 40 * sequence, 64, 48, JPEG_64x48)));
    }

    private static Map<String, Object> settings(boolean objects, boolean analytics) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(FlatObjects.ENABLED, objects);
        settings.put(CameraAnalytics.ENABLED, analytics);
        return settings;
    }

    @Test
    void theObjectsStreamIsOffUnlessTurnedOn() {
        assertFalse(topology(settings(false, true)).describe().toString().contains("topic: objects"));
        assertTrue(topology(settings(true, true)).describe().toString().contains("topic: objects"));
    }

    @Test
    void withoutTrackingEachDetectionIsOneObjectKeyedForUpserts() {
        start(settings(true, false));

        pipe("cam-1", 7);

        List<TestRecord<String, DetectedObject>> out = objects.readRecordsToList();
        assertEquals(1, out.size(), "the test double detects one object per frame");
        assertEquals("cam-1/7/0", out.get(0).key());
        DetectedObject person = out.get(0).value();
        assertEquals(7, person.getSequence());
        assertEquals(START.plusMillis(280), person.getCaptureTimestamp());
        assertNull(person.getTrackId());
        assertEquals("person", person.getLabel());
        assertEquals(0.9, person.getScore(), 1e-6);
        assertEquals(List.of(0.0, 0.0, 64.0, 48.0), List.of(person.getX1(), person.getY1(), person.getX2(), person.getY2()));
        assertEquals("fake-ssd", person.getModelName());
        assertFalse(person.getModelTrained());
    }

    @Test
    void withTrackingTheObjectsAreTheConfirmedTracksWithTheirIds() {
        start(settings(true, true));

        for (long sequence = 0; sequence < 5; sequence++) pipe("cam-1", sequence);

        List<TestRecord<String, DetectedObject>> out = objects.readRecordsToList();
        // the default tracker confirms a track at its third match
        assertEquals(List.of("cam-1/2/0", "cam-1/3/0", "cam-1/4/0"), out.stream().map(TestRecord::key).toList());
        assertTrue(out.stream().allMatch(r -> Long.valueOf(1).equals(r.value().getTrackId())), "one track, id 1");
    }
}
