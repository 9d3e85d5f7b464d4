package io.emostream.processors.analytics;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.ZoneConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

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

    private static Arguments zoneRejected(String what, ZoneConfig zone, String message) {
        return Arguments.of(what, List.of(zone), List.of(), message);
    }

    private static Arguments lineRejected(String what, LineConfig line, String message) {
        return Arguments.of(what, List.of(), List.of(line), message);
    }

    static Stream<Arguments> badZonesAndLines() {
        String outside = " is outside the frame: coordinates are fractions 0..1 of the frame width and height";
        String crossing = "; list the points in order around the zone";
        return Stream.of(
                zoneRejected("a zone with fewer than three points", zone("door", 0.1, 0.1, 0.4, 0.1),
                        "camera 'cam-1': zone 'door' has 2 points: a zone needs at least 3"),
                // a bow tie: the edge 1-2 and the edge 3-4 cross in the middle
                zoneRejected("a self-intersecting zone, naming the edges that meet",
                        zone("bow", 0.1, 0.1, 0.9, 0.9, 0.9, 0.1, 0.1, 0.9), "camera 'cam-1': zone 'bow' is "
                                + "self-intersecting: its edge from point 1 to point 2 meets its edge from point 3 to "
                                + "point 4" + crossing),
                zoneRejected("a zone whose points lie on one line, as folding back on itself",
                        zone("flat", 0.1, 0.1, 0.5, 0.1, 0.9, 0.1), "camera 'cam-1': zone 'flat' is "
                                + "self-intersecting: its two edges at point 3 run back over each other" + crossing),
                zoneRejected("a zone with a repeated point", zone("door", 0.1, 0.1, 0.4, 0.1, 0.4, 0.1, 0.4, 0.5),
                        "camera 'cam-1': zone 'door': point 3 repeats point 2; drop one of them"),
                zoneRejected("a zone point outside the frame", zone("door", 0.1, 0.1, 1.2, 0.1, 0.4, 0.5),
                        "camera 'cam-1': zone 'door': point 2 (1.2, 0.1)" + outside),
                lineRejected("a line end outside the frame", line("gate", 0.5, 0, 0.5, -0.1),
                        "camera 'cam-1': line 'gate': b (0.5, -0.1)" + outside),
                lineRejected("a line end that is not a number", line("gate", Double.NaN, 0, 0.5, 1),
                        "camera 'cam-1': line 'gate': a (NaN, 0.0)" + outside),
                lineRejected("a line whose ends are the same point, as degenerate", line("gate", 0.5, 0.5, 0.5, 0.5),
                        "camera 'cam-1': line 'gate' is degenerate: a and b are the same point (0.5, 0.5); give two "
                                + "different points"),
                zoneRejected("a zone with more than the most points", zone("round", circle(Polygon.MAX_POINTS + 1)),
                        "camera 'cam-1': zone 'round' has 1001 points: at most 1000 are allowed"));
    }

    /** {@code n} points on a circle, as x, y pairs. */
    private static double[] circle(int n) {
        double[] xy = new double[2 * n];
        for (int i = 0; i < xy.length; i += 2) {
            double angle = Math.PI * i / n;
            xy[i] = 0.5 + 0.4 * Math.cos(angle);
            xy[i + 1] = 0.5 + 0.4 * Math.sin(angle);
        }
        return xy;
    }

    @ParameterizedTest(name = "{0} is rejected")
    @MethodSource("badZonesAndLines")
    void aBadZoneOrLineIsRejectedWithAMessageThatSaysTheFix(String what, List<ZoneConfig> zones,
                                                          List<LineConfig> lines, String message) {
        assertEquals(message, rejection(zones, lines));
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
}
