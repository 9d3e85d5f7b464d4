package io.emostream.topology.analytics;

import io.emostream.processors.analytics.InvalidCameraConfigException;
import io.emostream.processors.analytics.ReferencePoint;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.Point;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cameras config YAML file: what a good one gives, and one message per mistake. */
class CameraConfigFileTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("cameras.yaml"), yaml);
    }

    private String rejection(String yaml) throws IOException {
        Path file = write(yaml);
        String message = assertThrows(InvalidCameraConfigException.class, () -> CameraConfigFile.load(file))
                .getMessage();
        String prefix = "cameras config " + file;
        assertEquals(prefix, message.substring(0, prefix.length()), message);
        return message.substring(prefix.length());
    }

    @Test
    void aGoodFileGivesEachCameraItsZonesAndLinesInFileOrder() throws IOException {
        Map<String, CameraConfig> cameras = CameraConfigFile.load(write("""
                cameras:
                  cam-1:
                    zones:
                      - id: door
                        points: [[0.1, 0.1], [0.4, 0.1], [0.4, 0.5]]
                      - {id: 7, points: [[0, 0], [1, 0], [1, 1], [0, 1]]}
                    lines: [{id: gate, a: [0.5, 0], b: [0.5, 1]}]
                  cam-2:
                    lines:
                      - {id: exit, a: [0, 0.5], b: [1, 0.5]}
                  cam-3:
                """));
        assertEquals(List.of("cam-1", "cam-2", "cam-3"), List.copyOf(cameras.keySet()));
        CameraConfig cam1 = cameras.get("cam-1");
        assertEquals("cam-1", cam1.getCameraId());
        assertEquals(List.of("door", "7"), cam1.getZones().stream().map(z -> z.getId()).toList());
        assertEquals(List.of(new Point(0.1, 0.1), new Point(0.4, 0.1), new Point(0.4, 0.5)),
                cam1.getZones().get(0).getPoints());
        assertEquals(new Point(0.5, 0.0), cam1.getLines().get(0).getA());
        assertEquals(new Point(0.5, 1.0), cam1.getLines().get(0).getB());
        assertEquals(List.of(), cameras.get("cam-2").getZones());
        assertEquals(new CameraConfig("cam-3", List.of(), List.of()), cameras.get("cam-3"));
    }

    @Test
    void unknownFieldsAreRejectedAtEveryLevel() throws IOException {
        assertEquals(": top level: unknown field 'camera'; known: cameras", rejection("camera: {}\n"));
        assertEquals(": camera 'cam-1': unknown field 'zone'; known: lines, zones",
                rejection("cameras: {cam-1: {zone: []}}\n"));
        assertEquals(": camera 'cam-1': zone 1: unknown field 'pionts'; known: id, points",
                rejection("cameras: {cam-1: {zones: [{id: door, pionts: []}]}}\n"));
        assertEquals(": camera 'cam-1': line 1: unknown field 'direction'; known: a, b, id",
                rejection("cameras: {cam-1: {lines: [{id: g, a: [0, 0], b: [1, 1], direction: in}]}}\n"));
    }

    @Test
    void aCameraListedTwiceIsRejectedWithItsLine() throws IOException {
        assertEquals(", line 4: found duplicate key cam-1", rejection("""
                cameras:
                  cam-1: {}
                  cam-2: {}
                  cam-1: {}
                """));
    }

    @Test
    void badShapesAndValuesAreRejectedWithWhereTheyAre() throws IOException {
        assertEquals(": expected a map with a 'cameras' map of camera id to zones and lines", rejection(""));
        assertEquals(": 'cameras' must map each camera id to its zones and lines", rejection("cameras: [cam-1]\n"));
        assertEquals(": camera 'cam-1': 'zones' must be a list", rejection("cameras: {cam-1: {zones: door}}\n"));
        assertEquals(": camera 'cam-1': zone 1: point 2 must be a pair of numbers [x, y], got [0.4, high]",
                rejection("cameras: {cam-1: {zones: [{id: door, points: [[0.1, 0.1], [0.4, high], [0.4, 0.5]]}]}}\n"));
        assertEquals(": camera 'cam-1': line 1: 'b' must be a pair of numbers [x, y], got null",
                rejection("cameras: {cam-1: {lines: [{id: gate, a: [0.5, 0]}]}}\n"));
        assertEquals(", line 1: mapping values are not allowed here", rejection("cameras: a: b\n"));
    }

    @Test
    void invalidGeometryIsRejectedAsOnTheTopic() throws IOException {
        assertEquals(": camera 'cam-1': zone 'bow' is self-intersecting: its edge from point 1 to point 2 meets its "
                        + "edge from point 3 to point 4; list the points in order around the zone",
                rejection("cameras: {cam-1: {zones: [{id: bow, points: [[0.1,0.1],[0.9,0.9],[0.9,0.1],[0.1,0.9]]}]}}\n"));
        assertEquals(": camera 'cam-1': zone 'door' has 2 points: a zone needs at least 3",
                rejection("cameras: {cam-1: {zones: [{id: door, points: [[0.1,0.1],[0.9,0.9]]}]}}\n"));
        assertEquals(": camera 'cam-1': line 'gate' is degenerate: a and b are the same point (0.5, 0.5); give two "
                + "different points", rejection("cameras: {cam-1: {lines: [{id: gate, a: [0.5,0.5], b: [0.5,0.5]}]}}\n"));
        assertEquals(": camera 'cam-1': line 'gate': b (0.5, 2.0) is outside the frame: coordinates are fractions "
                + "0..1 of the frame width and height",
                rejection("cameras: {cam-1: {lines: [{id: gate, a: [0.5,0], b: [0.5,2]}]}}\n"));
        assertEquals(": camera 'cam-1': two zones have the id 'door': zone ids must be unique per camera",
                rejection("cameras: {cam-1: {zones: [{id: door, points: [[0,0],[1,0],[1,1]]},"
                        + " {id: door, points: [[0,0],[1,0],[1,1]]}]}}\n"));
        assertEquals(": camera 'cam-1': zone 1 has no id: give each zone an id",
                rejection("cameras: {cam-1: {zones: [{points: [[0,0],[1,0],[1,1]]}]}}\n"));
    }

    @Test
    void aMissingFileIsRejected() {
        Path missing = dir.resolve("missing.yaml");
        assertEquals("cameras config " + missing + " does not exist or is not readable",
                assertThrows(InvalidCameraConfigException.class, () -> CameraConfigFile.load(missing)).getMessage());
    }

    @Test
    void settingsComeFromTheDefinedKeysAndLoadTheFile() throws IOException {
        Path file = write("cameras: {cam-1: {lines: [{id: gate, a: [0.5, 0], b: [0.5, 1]}]}}\n");
        ConfigDef def = ZoneAnalytics.define(new ConfigDef());
        ZoneAnalytics.Settings settings = ZoneAnalytics.Settings.from(new AbstractConfig(def, Map.of(
                ZoneAnalytics.CAMERAS_CONFIG_FILE, file.toString(), ZoneAnalytics.REFERENCE_POINT, "center",
                ZoneAnalytics.TRACK_IDLE_MS, "5000")), 1000);
        assertEquals(List.of("cam-1"), List.copyOf(settings.fileConfigs().keySet()));
        assertEquals(ReferencePoint.CENTER, settings.referencePoint());
        assertEquals(Duration.ofSeconds(5), settings.trackIdle());
        assertEquals("camera-config", settings.configTopic());
        assertEquals("camera-config-accepted", settings.acceptedConfigTopic());
        assertEquals("frame-analytics", settings.analyticsTopic());
        assertEquals("frame-occupancy", settings.occupancyTopic());
        assertThrows(ConfigException.class, () -> new AbstractConfig(def, Map.of(ZoneAnalytics.REFERENCE_POINT,
                "top")));
        assertEquals("camera.config.topic and camera.config.accepted.topic are both 'camera-config': the "
                + "application copies valid records from the first to the second, so they must differ",
                assertThrows(IllegalArgumentException.class, () -> ZoneAnalytics.Settings.from(new AbstractConfig(def,
                        Map.of(ZoneAnalytics.CAMERA_CONFIG_ACCEPTED_TOPIC, "camera-config")), 1000)).getMessage());
    }
}
