package io.emostream.processors.stats;

import io.emostream.schemas.CameraStats;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.LineCrossing;
import io.emostream.schemas.TrackRef;
import io.emostream.schemas.ZoneExit;
import io.emostream.schemas.ZoneState;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowStatsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
    private final WindowStatsSerde serde = new WindowStatsSerde();

    @Test
    void theSerdeRoundTripGivesTheSameStatistics() {
        WindowStats stats = new WindowStats()
                .add(frame(List.of(new TrackRef(1L, 1, "person"), new TrackRef(2L, 3, "car")),
                        List.of(new LineCrossing("door", 1L, 1, CrossingDirection.OUT)),
                        List.of(new ZoneState("lobby", 1, List.of(new ZoneExit(7L, 1, 2_500L))))))
                .add(frame(List.of(new TrackRef(1L, 1, "person")), List.of(), List.of(new ZoneState("lobby", 2,
                        List.of()))))
                .add(FrameOccupancy.newBuilder().setCameraId("cam-1").setSequence(1).setCaptureTimestamp(T0)
                        .setClassFractions(List.of(new ClassFraction(0, "road", 0.4f))).setZones(List.of()).build());

        WindowStats copy = serde.deserialize("t", serde.serialize("t", stats));

        CameraStats expected = stats.toCameraStats("cam-1", T0, T0.plusSeconds(10), true);
        assertEquals(expected, copy.toCameraStats("cam-1", T0, T0.plusSeconds(10), true));
        assertEquals(2, expected.getFrames());
        assertEquals(1, expected.getClasses().get(0).getUniqueTracks(), "track 1 twice is one track");
        assertEquals(1.5, expected.getZones().get(0).getMeanObjects());
    }

    @Test
    void anEmptyWindowHasZeroMeansNotNaN() {
        CameraStats stats = new WindowStats().add(frame(List.of(), List.of(), List.of(new ZoneState("lobby", 0,
                List.of())))).toCameraStats("cam-1", T0, T0.plusSeconds(10), false);
        assertEquals(0.0, stats.getZones().get(0).getMeanDwellMs(), "no exits: no dwell");
        assertTrue(stats.getSegmentation().isEmpty());
    }

    @Test
    void badBytesFailWithAMessageSayingWhatIsWrong() {
        byte[] bytes = serde.serialize("t", new WindowStats().add(frame(List.of(new TrackRef(1L, 1, "person")),
                List.of(), List.of())));
        SerializationException truncated = assertThrows(SerializationException.class,
                () -> serde.deserialize("windows-changelog", Arrays.copyOf(bytes, bytes.length - 5)));
        assertTrue(truncated.getMessage().contains("window statistics"), truncated.getMessage());

        byte[] future = bytes.clone();
        future[0] = 9;
        SerializationException version = assertThrows(SerializationException.class,
                () -> serde.deserialize("windows-changelog", future));
        assertTrue(version.getMessage().contains("version 9"), version.getMessage());

        byte[] huge = bytes.clone();
        huge[9] = 0x7f; // the class count
        SerializationException count = assertThrows(SerializationException.class,
                () -> serde.deserialize("windows-changelog", huge));
        assertTrue(count.getMessage().contains("out of range"), count.getMessage());
    }

    private static FrameAnalytics frame(List<TrackRef> objects, List<LineCrossing> crossings, List<ZoneState> zones) {
        return FrameAnalytics.newBuilder().setCameraId("cam-1").setSequence(1).setCaptureTimestamp(T0)
                .setObjects(objects).setCrossings(crossings).setZones(zones).build();
    }
}
