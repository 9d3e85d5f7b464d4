package io.emostream.processors.stats;

import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.TrackRef;
import io.emostream.schemas.TrackedObject;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CameraStatusTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private static final Duration SPAN = Duration.ofSeconds(1);

    @Test
    void theRateCountsOnlyFramesWithinTheRecentSpan() {
        CameraStatus status = new CameraStatus();
        // 25 frames/s for 2 s, then 5 frames/s for 1 s: the 1 s span sees only the slow part.
        LongStream.range(0, 50).forEach(i -> status.record(analytics(i * 40, 0), SPAN));
        LongStream.range(1, 6).forEach(i -> status.record(analytics(1_960 + i * 200, 0), SPAN));
        assertEquals(5.0, status.framesPerSecond(), 1e-9);
        assertEquals(T0.plusMillis(2_960), status.lastFrameTime().orElseThrow());
    }

    @Test
    void tracksAndAnalyticsOfOneFrameCountItOnce() {
        CameraStatus status = new CameraStatus();
        for (long t = 0; t <= 1_000; t += 100) {
            status.record(tracks(t, 3), SPAN);
            status.record(analytics(t, 2), SPAN);
        }
        assertEquals(10.0, status.framesPerSecond(), 1e-9);
        assertEquals(3, status.objectsNow(), "from the newest frame's tracks");
    }

    @Test
    void anOlderFrameArrivingLateLeavesTheNewestInPlace() {
        CameraStatus status = new CameraStatus().record(analytics(1_000, 4), SPAN).record(analytics(500, 1), SPAN);
        assertEquals(4, status.objectsNow());
        assertEquals(T0.plusMillis(1_000), status.lastFrameTime().orElseThrow());
    }

    @Test
    void theSerdeRoundTripKeepsRateAndLatestRecords() {
        CameraStatus status = new CameraStatus();
        for (long t = 0; t <= 500; t += 100) status.record(tracks(t, 2), SPAN).record(analytics(t, 2), SPAN);
        CameraStatusSerde serde = new CameraStatusSerde();
        CameraStatus copy = serde.deserialize("t", serde.serialize("t", status));
        assertEquals(status.framesPerSecond(), copy.framesPerSecond());
        assertEquals(status.lastFrameTime(), copy.lastFrameTime());
        assertEquals(status.latestTracks(), copy.latestTracks());
        assertEquals(status.latestAnalytics(), copy.latestAnalytics());
        assertTrue(new CameraStatus().latestTracks().isEmpty());
        assertEquals(0, serde.deserialize("t", serde.serialize("t", new CameraStatus())).objectsNow());
    }

    @Test
    void truncatedBytesFailWithAClearMessage() {
        CameraStatusSerde serde = new CameraStatusSerde();
        byte[] bytes = serde.serialize("t", new CameraStatus().record(tracks(0, 2), SPAN));
        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.deserialize("status-changelog", Arrays.copyOf(bytes, bytes.length - 3)));
        assertTrue(e.getMessage().contains("camera status") && e.getMessage().contains("status-changelog"),
                e.getMessage());
    }

    private static FrameAnalytics analytics(long captureOffsetMs, int objects) {
        return FrameAnalytics.newBuilder().setCameraId("cam-1").setSequence(captureOffsetMs)
                .setCaptureTimestamp(T0.plusMillis(captureOffsetMs))
                .setObjects(LongStream.range(0, objects).mapToObj(id -> new TrackRef(id, 1, "person")).toList())
                .setCrossings(List.of()).setZones(List.of()).build();
    }

    private static FrameTracks tracks(long captureOffsetMs, int objects) {
        return FrameTracks.newBuilder().setCameraId("cam-1").setSequence(captureOffsetMs)
                .setCaptureTimestamp(T0.plusMillis(captureOffsetMs)).setFrameWidth(64).setFrameHeight(48)
                .setModel(new ModelInfo("fixture", "0", false, "cpu"))
                .setTracks(LongStream.range(0, objects).mapToObj(id -> TrackedObject.newBuilder()
                        .setTrackId(id).setClassId(1).setLabel("person").setScore(0.9f)
                        .setBox(new PixelBox(0f, 0f, 10f, 10f)).setAgeMs(0).setHits(3)
                        .setVelocityX(0f).setVelocityY(0f).build()).toList())
                .build();
    }
}
