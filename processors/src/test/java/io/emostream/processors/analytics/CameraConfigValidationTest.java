package io.emostream.processors.analytics;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.ZoneConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.emostream.processors.analytics.CameraConfigs.line;
import static io.emostream.processors.analytics.CameraConfigs.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each kind of bad zone or line is rejected with one message that names it and says what to fix. */
class CameraConfigValidationTest {
    private static final ZoneConfig DOOR = zone("door", 0.1, 0.1, 0.4, 0.1, 0.4, 0.5);
    private static final LineConfig GATE = line("gate", 0.5, 0, 0.5, 1);

    private static String rejection(List<ZoneConfig> zones, List<LineConfig> lines) {
        return assertThrows(InvalidCameraConfigException.class,
                () -> CameraGeometry.of(new CameraConfig("cam-1", zones, lines))).getMessage();
    }

    @Test
    void aValidConfigurationKeepsItsZonesAndLinesInOrder() {
        CameraGeometry geometry = CameraGeometry.of(new CameraConfig("cam-1",
                List.of(DOOR, zone("dock", 0.5, 0.5, 0.9, 0.5, 0.9, 0.9, 0.5, 0.9)), List.of(GATE)));
        assertEquals(List.of("door", "dock"), geometry.zones().stream().map(CameraGeometry.Zone::id).toList());
        assertEquals(List.of("gate"), geometry.lines().stream().map(CameraGeometry.Line::id).toList());
    }

    @Test
    void aZoneWithFewerThanThreePointsIsRejected() {
        assertEquals("camera 'cam-1': zone 'door' has 2 points: a zone needs at least 3",
                rejection(List.of(zone("door", 0.1, 0.1, 0.4, 0.1)), List.of()));
    }

    @Test
    void aSelfIntersectingZoneIsRejectedNamingTheEdgesThatMeet() {
        // a bow tie: the edge 1-2 and the edge 3-4 cross in the middle
        assertEquals("camera 'cam-1': zone 'bow' is self-intersecting: its edge from point 1 to point 2 meets its "
                        + "edge from point 3 to point 4; list the points in order around the zone",
                rejection(List.of(zone("bow", 0.1, 0.1, 0.9, 0.9, 0.9, 0.1, 0.1, 0.9)), List.of()));
    }

    @Test
    void aZoneWhosePointsLieOnOneLineIsRejectedAsFoldingBackOnItself() {
        assertEquals("camera 'cam-1': zone 'flat' is self-intersecting: its two edges at point 3 run back over "
                        + "each other; list the points in order around the zone",
                rejection(List.of(zone("flat", 0.1, 0.1, 0.5, 0.1, 0.9, 0.1)), List.of()));
    }

    @Test
    void aZoneWithARepeatedPointIsRejected() {
        assertEquals("camera 'cam-1': zone 'door': point 3 repeats point 2; drop one of them",
                rejection(List.of(zone("door", 0.1, 0.1, 0.4, 0.1, 0.4, 0.1, 0.4, 0.5)), List.of()));
    }

    @Test
    void coordinatesOutsideTheFrameAreRejected() {
        assertEquals("camera 'cam-1': zone 'door': point 2 (1.2, 0.1) is outside the frame: coordinates are "
                        + "fractions 0..1 of the frame width and height",
                rejection(List.of(zone("door", 0.1, 0.1, 1.2, 0.1, 0.4, 0.5)), List.of()));
        assertEquals("camera 'cam-1': line 'gate': b (0.5, -0.1) is outside the frame: coordinates are fractions "
                + "0..1 of the frame width and height", rejection(List.of(), List.of(line("gate", 0.5, 0, 0.5, -0.1))));
        assertEquals("camera 'cam-1': line 'gate': a (NaN, 0.0) is outside the frame: coordinates are fractions "
                + "0..1 of the frame width and height",
                rejection(List.of(), List.of(line("gate", Double.NaN, 0, 0.5, 1))));
    }

    @Test
    void aLineWhoseEndsAreTheSamePointIsRejectedAsDegenerate() {
        assertEquals("camera 'cam-1': line 'gate' is degenerate: a and b are the same point (0.5, 0.5); give two "
                + "different points", rejection(List.of(), List.of(line("gate", 0.5, 0.5, 0.5, 0.5))));
    }

    @Test
    void duplicateAndMissingIdsAreRejected() {
        assertEquals("camera 'cam-1': two zones have the id 'door': zone ids must be unique per camera",
                rejection(List.of(DOOR, DOOR), List.of()));
        assertEquals("camera 'cam-1': two lines have the id 'gate': line ids must be unique per camera",
                rejection(List.of(), List.of(GATE, GATE)));
        assertEquals("camera 'cam-1': line 2 has no id: give each line an id",
                rejection(List.of(), List.of(GATE, line(" ", 0.1, 0.1, 0.2, 0.2))));
        assertEquals("the camera id is empty: give the id its frames are keyed by",
                assertThrows(InvalidCameraConfigException.class,
                        () -> CameraGeometry.of(new CameraConfig("", List.of(), List.of()))).getMessage());
    }

    @Test
    void aZoneWithMoreThanTheMostPointsIsRejected() {
        double[] xy = new double[2 * (Polygon.MAX_POINTS + 1)];
        for (int i = 0; i < xy.length; i += 2) {
            double angle = Math.PI * i / (Polygon.MAX_POINTS + 1);
            xy[i] = 0.5 + 0.4 * Math.cos(angle);
            xy[i + 1] = 0.5 + 0.4 * Math.sin(angle);
        }
        assertEquals("camera 'cam-1': zone 'round' has 1001 points: at most 1000 are allowed",
                rejection(List.of(zone("round", xy)), List.of()));
    }
}
