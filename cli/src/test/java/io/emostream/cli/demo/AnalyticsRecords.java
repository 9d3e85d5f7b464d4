package io.emostream.cli.demo;

import io.emostream.schemas.CameraStats;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.LineCrossing;
import io.emostream.schemas.TrackRef;
import io.emostream.schemas.ZoneExit;
import io.emostream.schemas.ZoneOccupancy;
import io.emostream.schemas.ZoneState;

import java.time.Instant;
import java.util.List;

/** Analytics records as the topology writes them, built by hand for the demo's tally and report. */
final class AnalyticsRecords {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private AnalyticsRecords() { }

    static FrameAnalytics analytics(String camera, long sequence, List<TrackRef> objects, List<LineCrossing> crossings,
                                    List<ZoneState> zones) {
        return FrameAnalytics.newBuilder().setCameraId(camera).setSequence(sequence)
                .setCaptureTimestamp(T0.plusMillis(100 * sequence)).setObjects(objects).setCrossings(crossings)
                .setZones(zones).build();
    }

    static TrackRef person(long trackId) {
        return new TrackRef(trackId, 0, "person");
    }

    static TrackRef car(long trackId) {
        return new TrackRef(trackId, 2, "car");
    }

    static LineCrossing crossing(String line, long trackId, CrossingDirection direction) {
        return new LineCrossing(line, trackId, 0, direction);
    }

    /** A zone with {@code objects} inside and, when {@code dwellMs} > 0, one track that left after that long. */
    static ZoneState zone(String id, int objects, long dwellMs) {
        return new ZoneState(id, objects, dwellMs > 0 ? List.of(new ZoneExit(99L, 0, dwellMs)) : List.of());
    }

    static FrameOccupancy occupancy(String camera, long sequence, List<ClassFraction> overall,
                                    List<ZoneOccupancy> zones) {
        return FrameOccupancy.newBuilder().setCameraId(camera).setSequence(sequence)
                .setCaptureTimestamp(T0.plusMillis(100 * sequence)).setClassFractions(overall).setZones(zones)
                .build();
    }

    static ClassFraction share(int classId, String label, double fraction) {
        return new ClassFraction(classId, label, (float) fraction);
    }

    static CameraStats window(String camera, long startSeconds, boolean isFinal) {
        return CameraStats.newBuilder().setCameraId(camera).setWindowStart(T0.plusSeconds(startSeconds))
                .setWindowEnd(T0.plusSeconds(startSeconds + 1)).setFinal$(isFinal).setFrames(1)
                .setClasses(List.of()).setLines(List.of()).setZones(List.of()).setSegmentation(List.of()).build();
    }
}
