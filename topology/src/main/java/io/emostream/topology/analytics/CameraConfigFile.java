package io.emostream.topology.analytics;

import io.emostream.processors.analytics.CameraGeometry;
import io.emostream.processors.analytics.InvalidCameraConfigException;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.Point;
import io.emostream.schemas.ZoneConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the cameras' zones and lines from a YAML file (the {@code --cameras-config} option):
 * <pre>
 * cameras:
 *   cam-1:
 *     zones:
 *       - id: door
 *         points: [[0.1, 0.1], [0.4, 0.1], [0.4, 0.5]]
 *     lines:
 *       - {id: gate, a: [0.5, 0], b: [0.5, 1]}
 * </pre>
 * Coordinates are fractions 0..1 of the frame width and height. Each camera is checked as a record on the topic is
 * ({@link CameraGeometry#of}); unknown fields and repeated keys are errors too, so a typo cannot silently drop a
 * zone. Every problem is an {@link InvalidCameraConfigException} naming the file, the camera and what to fix.
 */
public final class CameraConfigFile {
    private static final Set<String> ROOT_FIELDS = Set.of("cameras");
    private static final Set<String> CAMERA_FIELDS = Set.of("zones", "lines");
    private static final Set<String> ZONE_FIELDS = Set.of("id", "points");
    private static final Set<String> LINE_FIELDS = Set.of("id", "a", "b");

    private CameraConfigFile() { }

    /** The configuration of each camera in the file, by camera id, in file order. */
    public static Map<String, CameraConfig> load(Path file) {
        String where = "cameras config " + file;
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidCameraConfigException(where + " does not exist or is not readable");
        }
        Object document;
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader in = Files.newBufferedReader(file)) {
            document = new Yaml(new SafeConstructor(options)).load(in);
        } catch (IOException e) {
            throw new InvalidCameraConfigException("cannot read " + where + ": " + e.getMessage(), e);
        } catch (MarkedYAMLException e) {
            throw new InvalidCameraConfigException(where + ", line " + (e.getProblemMark().getLine() + 1) + ": "
                    + e.getProblem(), e);
        } catch (YAMLException e) {
            throw new InvalidCameraConfigException(where + " is not valid YAML: " + e.getMessage(), e);
        }
        try {
            return cameras(document);
        } catch (InvalidCameraConfigException e) {
            throw new InvalidCameraConfigException(where + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, CameraConfig> cameras(Object document) {
        Map<?, ?> root = map(document, "top level", ROOT_FIELDS,
                "expected a map with a 'cameras' map of camera id to zones and lines");
        Map<?, ?> cameras = map(root.get("cameras"), "'cameras'", null,
                "'cameras' must map each camera id to its zones and lines");
        Map<String, CameraConfig> out = new LinkedHashMap<>();
        cameras.forEach((id, value) -> {
            String camera = String.valueOf(id);
            String where = "camera '" + camera + "'";
            Map<?, ?> fields = value == null ? Map.of() : map(value, where, CAMERA_FIELDS, where
                    + " must be a map with 'zones' and/or 'lines'");
            List<ZoneConfig> zones = new ArrayList<>();
            for (Object zone : list(fields.get("zones"), where + ": 'zones'")) {
                String zoneWhere = where + ": zone " + (zones.size() + 1);
                Map<?, ?> z = map(zone, zoneWhere, ZONE_FIELDS, zoneWhere + " must be a map with 'id' and 'points'");
                List<Point> points = new ArrayList<>();
                for (Object point : list(z.get("points"), zoneWhere + ": 'points'")) {
                    points.add(point(point, zoneWhere + ": point " + (points.size() + 1)));
                }
                zones.add(new ZoneConfig(id(z.get("id")), points));
            }
            List<LineConfig> lines = new ArrayList<>();
            for (Object line : list(fields.get("lines"), where + ": 'lines'")) {
                String lineWhere = where + ": line " + (lines.size() + 1);
                Map<?, ?> l = map(line, lineWhere, LINE_FIELDS, lineWhere + " must be a map with 'id', 'a' and 'b'");
                lines.add(new LineConfig(id(l.get("id")), point(l.get("a"), lineWhere + ": 'a'"),
                        point(l.get("b"), lineWhere + ": 'b'")));
            }
            CameraConfig config = new CameraConfig(camera, zones, lines);
            CameraGeometry.of(config);
            out.put(camera, config);
        });
        return Collections.unmodifiableMap(out);
    }

    /** A map whose keys are all in {@code fields} (any keys when null). */
    private static Map<?, ?> map(Object value, String where, Set<String> fields, String expected) {
        if (!(value instanceof Map<?, ?> map)) throw new InvalidCameraConfigException(expected);
        if (fields != null) {
            for (Object key : map.keySet()) {
                if (!fields.contains(String.valueOf(key))) {
                    throw new InvalidCameraConfigException(where + ": unknown field '" + key + "'; known: "
                            + String.join(", ", fields.stream().sorted().toList()));
                }
            }
        }
        return map;
    }

    private static List<?> list(Object value, String where) {
        if (value == null) return List.of();
        if (!(value instanceof List<?> list)) throw new InvalidCameraConfigException(where + " must be a list");
        return list;
    }

    private static Point point(Object value, String where) {
        if (value instanceof List<?> xy && xy.size() == 2 && xy.get(0) instanceof Number x
                && xy.get(1) instanceof Number y) {
            return new Point(x.doubleValue(), y.doubleValue());
        }
        throw new InvalidCameraConfigException(where + " must be a pair of numbers [x, y], got " + value);
    }

    private static String id(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
