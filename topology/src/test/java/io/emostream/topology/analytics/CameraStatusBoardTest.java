package io.emostream.topology.analytics;

import io.emostream.processors.stats.CameraStatus;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.TrackRef;
import io.emostream.schemas.TrackedObject;
import io.emostream.schemas.ZoneState;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The camera status store fed by tracks and analytics, through {@link TopologyTestDriver}. */
class CameraStatusBoardTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, FrameTracks> tracks;
    private TestInputTopic<String, FrameAnalytics> analytics;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        CameraStatusBoard.addTo(builder,
                builder.stream("tracks", Consumed.with(Serdes.String(), AvroSerdes.frameTracks())),
                builder.stream("analytics", Consumed.with(Serdes.String(), AvroSerdes.frameAnalytics())),
                new CameraStatusBoard.Settings(Duration.ofSeconds(2)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "status-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props, T0);
        tracks = driver.createInputTopic("tracks", new StringSerializer(), AvroSerdes.frameTracks());
        analytics = driver.createInputTopic("analytics", new StringSerializer(), AvroSerdes.frameAnalytics());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void theStoreKeepsEachCamerasNewestFrameAndItsRecentFrameRate() {
        // 10 frames/s for 3 s; the rate is measured over the last 2 s of capture time.
        LongStream.range(0, 31).forEach(i -> {
            tracks.pipeInput("cam-1", tracks("cam-1", i, i * 100, 2));
            analytics.pipeInput("cam-1", analytics("cam-1", i, i * 100, 2));
        });
        tracks.pipeInput("cam-2", tracks("cam-2", 0, 500, 1));
        // An older frame arriving late does not replace the newest.
        tracks.pipeInput("cam-1", tracks("cam-1", 5, 500, 7));

        KeyValueStore<String, CameraStatus> store = driver.getKeyValueStore(CameraStatusBoard.STATUS_STORE);
        CameraStatus cam1 = store.get("cam-1");
        assertEquals(T0.plusMillis(3_000), cam1.lastFrameTime().orElseThrow());
        assertEquals(10.0, cam1.framesPerSecond(), 1e-9);
        assertEquals(2, cam1.objectsNow());
        assertEquals(30, cam1.latestTracks().orElseThrow().getSequence());
        assertEquals("door", cam1.latestAnalytics().orElseThrow().getZones().get(0).getZoneId());

        CameraStatus cam2 = store.get("cam-2");
        assertEquals(1, cam2.objectsNow());
        assertEquals(0.0, cam2.framesPerSecond(), "one frame gives no rate yet");
        assertNull(store.get("cam-3"));
    }

    static FrameTracks tracks(String camera, long sequence, long captureOffsetMs, int objects) {
        return FrameTracks.newBuilder().setCameraId(camera).setSequence(sequence)
                .setCaptureTimestamp(T0.plusMillis(captureOffsetMs)).setFrameWidth(640).setFrameHeight(480)
                .setModel(new ModelInfo("fixture-detector", "0", false, "cpu"))
                .setTracks(LongStream.range(0, objects).mapToObj(id -> new TrackedObject(id, 1, "person", 0.9f,
                        new PixelBox(10f, 10f, 50f, 90f), 1_000L, 10, 0f, 0f)).toList())
                .build();
    }

    static FrameAnalytics analytics(String camera, long sequence, long captureOffsetMs, int objects) {
        return FrameAnalytics.newBuilder().setCameraId(camera).setSequence(sequence)
                .setCaptureTimestamp(T0.plusMillis(captureOffsetMs))
                .setObjects(LongStream.range(0, objects).mapToObj(id -> new TrackRef(id, 1, "person")).toList())
                .setCrossings(List.of()).setZones(List.of(new ZoneState("door", objects, List.of()))).build();
    }
}
