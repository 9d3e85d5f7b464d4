package io.emostream.processors.analytics;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.LineCrossing;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.TrackedObject;
import io.emostream.schemas.ZoneExit;
import io.emostream.schemas.ZoneState;
import io.emostream.schemas.serde.ZoneAnalyticsStateSerde;
import io.emostream.schemas.state.ZoneAnalyticsState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.emostream.processors.analytics.CameraConfigs.line;
import static io.emostream.processors.analytics.CameraConfigs.zone;
import static io.emostream.schemas.CrossingDirection.IN;
import static io.emostream.schemas.CrossingDirection.OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-written trajectories on a 1000x1000 frame (so pixels / 1000 are the fractions), with the state written and
 * read back through its Serde between frames as the state store does.
 */
class ZoneLineAnalyzerTest {
    private static final int SIZE = 1000;
    /** Vertical, from top to bottom at x = 0.5 between y = 0.2 and 0.8: right to left (x falling) is IN. */
    private static final CameraGeometry GATE = CameraGeometry.of(new CameraConfig("cam-1", List.of(),
            List.of(line("gate", 0.5, 0.2, 0.5, 0.8))));
    private static final CameraGeometry ZONES = CameraGeometry.of(new CameraConfig("cam-1",
            List.of(zone("door", 0.1, 0.1, 0.4, 0.1, 0.4, 0.4, 0.1, 0.4), zone("dock", 0.6, 0.6, 0.9, 0.6, 0.9, 0.9)),
            List.of()));

    private final ZoneLineAnalyzer analyzer = new ZoneLineAnalyzer(ReferencePoint.CENTER, 10_000);
    private final ZoneAnalyticsStateSerde serde = new ZoneAnalyticsStateSerde();
    private byte[] stored = serde.serialize("t", new ZoneAnalyticsState(new ArrayList<>()));
    private long sequence;
    private long clock;

    /** A tracked object whose box centre is at (x, y) in fractions, with its bottom 0.05 below. */
    static TrackedObject at(long trackId, double x, double y) {
        float cx = (float) (x * SIZE);
        float cy = (float) (y * SIZE);
        return TrackedObject.newBuilder().setTrackId(trackId).setClassId(1).setLabel("person").setScore(0.9f)
                .setBox(new PixelBox(cx - 20, cy - 50, cx + 20, cy + 50)).setAgeMs(0).setHits(3)
                .setVelocityX(0).setVelocityY(0).build();
    }

    static FrameTracks frame(long sequence, long captureMs, List<TrackedObject> tracks, List<Long> ended) {
        return FrameTracks.newBuilder().setCameraId("cam-1").setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(captureMs)).setFrameWidth(SIZE).setFrameHeight(SIZE)
                .setModel(new ModelInfo("fixture-tracks", "0", false, "cpu")).setTracks(tracks)
                .setEndedTrackIds(ended).build();
    }

    private FrameAnalytics next(CameraGeometry geometry, long captureMs, List<Long> ended, TrackedObject... objects) {
        ZoneAnalyticsState state = serde.deserialize("t", stored);
        FrameAnalytics out = analyzer.analyze(geometry, frame(sequence++, captureMs, List.of(objects), ended), state);
        stored = serde.serialize("t", state);
        return out;
    }

    private FrameAnalytics next(CameraGeometry geometry, long captureMs, TrackedObject... objects) {
        return next(geometry, captureMs, List.of(), objects);
    }

    /** Runs track 7 through the points, one frame each 40 ms after the last, and returns all crossings. */
    private List<LineCrossing> walk(CameraGeometry geometry, double... xy) {
        List<LineCrossing> crossings = new ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) {
            clock += 40;
            crossings.addAll(next(geometry, clock, at(7, xy[i], xy[i + 1])).getCrossings());
        }
        return crossings;
    }

    private ZoneAnalyticsState state() {
        return serde.deserialize("t", stored);
    }

    @Test
    void crossingsAreReportedInTheFrameWhereTheTrackReachesTheOtherSide() {
        assertEquals(List.of(), next(GATE, 0, at(7, 0.7, 0.5)).getCrossings());
        assertEquals(List.of(), next(GATE, 40, at(7, 0.6, 0.5)).getCrossings());
        assertEquals(List.of(new LineCrossing("gate", 7L, 1, CrossingDirection.IN)),
                next(GATE, 80, at(7, 0.4, 0.5)).getCrossings());
    }

    @Test
    void aTrackPassingBeyondAnEndOfTheSegmentDoesNotCrossButOneThroughTheEndDoes() {
        assertEquals(List.of(), walk(GATE, 0.7, 0.1, 0.3, 0.1, 0.3, 0.9, 0.7, 0.9));
        assertEquals(List.of(new LineCrossing("gate", 7L, 1, CrossingDirection.OUT)),
                walk(GATE, 0.4, 0.8, 0.6, 0.8));
    }

    @Test
    void aTrackMissingForSomeFramesCrossesByThePathBetweenItsLastAndNextPoints() {
        assertEquals(List.of(), next(GATE, 0, at(7, 0.7, 0.5), at(8, 0.2, 0.2)).getCrossings());
        assertEquals(List.of(), next(GATE, 40, at(8, 0.2, 0.25)).getCrossings());
        assertEquals(List.of(new LineCrossing("gate", 7L, 1, CrossingDirection.IN)),
                next(GATE, 400, at(7, 0.3, 0.5)).getCrossings());
    }

    private static Arguments walked(String what, List<CrossingDirection> crossings, double... xy) {
        return Arguments.of(what, crossings, xy);
    }

    static Stream<Arguments> walksAcrossTheGate() {
        return Stream.of(
                walked("a track crossing the line and coming back counts once each way", List.of(IN, OUT),
                        0.8, 0.5, 0.65, 0.5, 0.55, 0.5, 0.45, 0.5, 0.3, 0.5, 0.2, 0.5,
                        0.35, 0.45, 0.6, 0.45, 0.7, 0.45),
                walked("a track that touches the line and goes back does not cross", List.of(),
                        0.7, 0.5, 0.6, 0.5, 0.5, 0.5, 0.5, 0.55, 0.6, 0.5, 0.7, 0.5),
                walked("a track that rests on the line and then goes on crosses once", List.of(IN),
                        0.7, 0.5, 0.5, 0.5, 0.5, 0.5, 0.3, 0.5, 0.2, 0.5),
                walked("a track going around an end and back through the segment counts only that crossing",
                        List.of(IN), 0.3, 0.5, 0.3, 0.1, 0.7, 0.1, 0.7, 0.5, 0.3, 0.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walksAcrossTheGate")
    void track7WalkingThroughThePointsCrossesTheGateAsListed(String what, List<CrossingDirection> crossings,
                                                            double[] xy) {
        assertEquals(crossings.stream().map(d -> new LineCrossing("gate", 7L, 1, d)).toList(), walk(GATE, xy));
    }

    @Test
    void zonesCountTheTracksInsideAndReportDwellWhenATrackLeaves() {
        FrameAnalytics first = next(ZONES, 1_000, at(1, 0.2, 0.2), at(2, 0.7, 0.7), at(3, 0.5, 0.5));
        assertEquals(List.of(new ZoneState("door", 1, List.of()), new ZoneState("dock", 1, List.of())),
                first.getZones());
        assertEquals(3, first.getObjects().size());
        next(ZONES, 2_000, at(1, 0.3, 0.3), at(2, 0.8, 0.8), at(3, 0.35, 0.35));
        FrameAnalytics third = next(ZONES, 4_500, at(1, 0.5, 0.2), at(2, 0.85, 0.8), at(3, 0.3, 0.3));
        assertEquals(List.of(new ZoneState("door", 1, List.of(new ZoneExit(1L, 1, 3_500L))),
                new ZoneState("dock", 1, List.of())), third.getZones());
    }

    @Test
    void everyConfiguredZoneIsReportedEvenWhenEmpty() {
        FrameAnalytics empty = next(ZONES, 0);
        assertEquals(List.of(new ZoneState("door", 0, List.of()), new ZoneState("dock", 0, List.of())),
                empty.getZones());
    }

    @Test
    void aTrackThatEndsInsideAZoneExitsWithItsDwellUntilLastSeenAndIsForgotten() {
        next(ZONES, 1_000, at(1, 0.2, 0.2), at(2, 0.7, 0.7));
        next(ZONES, 3_000, at(1, 0.25, 0.2), at(2, 0.7, 0.7));
        next(ZONES, 3_500, at(2, 0.7, 0.7)); // track 1 missed
        FrameAnalytics ended = next(ZONES, 4_000, List.of(1L), at(2, 0.7, 0.7));
        assertEquals(List.of(new ZoneState("door", 0, List.of(new ZoneExit(1L, 1, 2_000L))),
                new ZoneState("dock", 1, List.of())), ended.getZones());
        assertEquals(List.of(2L), state().getTracks().stream().map(t -> t.getTrackId()).toList());
    }

    @Test
    void aTrackNotSeenForLongerThanTheIdleTimeoutIsForgottenAndLeavesItsZone() {
        next(ZONES, 1_000, at(1, 0.2, 0.2), at(2, 0.7, 0.7));
        next(ZONES, 6_000, at(2, 0.7, 0.7));
        FrameAnalytics late = next(ZONES, 11_001, at(2, 0.7, 0.7));
        assertEquals(List.of(new ZoneExit(1L, 1, 0L)), late.getZones().get(0).getExits());
        assertEquals(List.of(2L), state().getTracks().stream().map(t -> t.getTrackId()).toList());
    }

    @Test
    void zonesAndLinesRemovedFromTheConfigurationAreForgottenByEveryTrack() {
        CameraGeometry both = CameraGeometry.of(new CameraConfig("cam-1",
                List.of(zone("door", 0.1, 0.1, 0.4, 0.1, 0.4, 0.4, 0.1, 0.4)), List.of(line("gate", 0.5, 0.2, 0.5, 0.8))));
        next(both, 0, at(1, 0.2, 0.2), at(2, 0.7, 0.5));
        assertEquals(1, state().getTracks().get(0).getZones().size());
        FrameAnalytics after = next(CameraGeometry.NONE, 40, at(1, 0.2, 0.2), at(2, 0.3, 0.5));
        assertEquals(List.of(), after.getZones());
        assertEquals(List.of(), after.getCrossings());
        state().getTracks().forEach(t -> assertTrue(t.getZones().isEmpty() && t.getLineSides().isEmpty()));
    }

    @Test
    void theBottomCentreReferencePointPlacesATrackWhereItStands() {
        ZoneLineAnalyzer feet = new ZoneLineAnalyzer(ReferencePoint.BOTTOM_CENTER, 10_000);
        // box centre (0.2, 0.2) is in the door zone, its bottom (0.2, 0.25) too; centre (0.2, 0.37): bottom 0.42 is not
        FrameAnalytics out = feet.analyze(ZONES, frame(0, 0, List.of(at(1, 0.2, 0.2), at(2, 0.2, 0.37)), List.of()),
                new ZoneAnalyticsState(new ArrayList<>()));
        assertEquals(1, out.getZones().get(0).getObjects());
        FrameAnalytics centres = analyzer.analyze(ZONES, frame(0, 0, List.of(at(1, 0.2, 0.2), at(2, 0.2, 0.37)),
                List.of()), new ZoneAnalyticsState(new ArrayList<>()));
        assertEquals(2, centres.getZones().get(0).getObjects());
    }

    @Test
    void aFrameWithoutASizeIsRejectedWithWhatIsMissing() {
        FrameTracks noSize = frame(5, 0, List.of(at(1, 0.2, 0.2)), List.of());
        noSize.setFrameWidth(0);
        assertEquals("frame 5 of camera cam-1 has no size (0x1000): zones need it to place the boxes",
                assertThrows(IllegalArgumentException.class, () -> analyzer.analyze(ZONES, noSize,
                        new ZoneAnalyticsState(new ArrayList<>()))).getMessage());
    }
}
