package io.emostream.processors.analytics;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.Point;
import io.emostream.schemas.ZoneConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A camera's zones and lines, checked and ready to test points against. {@link #of} is the one place a
 * {@link CameraConfig} is validated, for the file and the topic alike; its exception names the camera, the zone or
 * line, and what to fix.
 */
public final class CameraGeometry {
    /** A camera with no zones and no lines. */
    public static final CameraGeometry NONE = new CameraGeometry(List.of(), List.of());

    public record Zone(String id, Polygon polygon) { }

    public record Line(String id, DirectedLine line) { }

    private final List<Zone> zones;
    private final List<Line> lines;

    private CameraGeometry(List<Zone> zones, List<Line> lines) {
        this.zones = List.copyOf(zones);
        this.lines = List.copyOf(lines);
    }

    public static CameraGeometry of(CameraConfig config) {
        String camera = config.getCameraId();
        if (camera == null || camera.isBlank()) {
            throw new InvalidCameraConfigException("the camera id is empty: give the id its frames are keyed by");
        }
        String where = "camera '" + camera + "'";
        List<Zone> zones = new ArrayList<>();
        Set<String> zoneIds = new HashSet<>();
        for (ZoneConfig zone : config.getZones()) {
            String name = where + ": zone '" + checkId(where, "zone", zones.size() + 1, zone.getId(), zoneIds) + "'";
            List<Point> points = zone.getPoints();
            double[] xs = new double[points.size()];
            double[] ys = new double[points.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = points.get(i).getX();
                ys[i] = points.get(i).getY();
            }
            zones.add(new Zone(zone.getId(), new Polygon(name, xs, ys)));
        }
        List<Line> lines = new ArrayList<>();
        Set<String> lineIds = new HashSet<>();
        for (LineConfig line : config.getLines()) {
            String name = where + ": line '" + checkId(where, "line", lines.size() + 1, line.getId(), lineIds) + "'";
            lines.add(new Line(line.getId(), new DirectedLine(name, line.getA().getX(), line.getA().getY(),
                    line.getB().getX(), line.getB().getY())));
        }
        return new CameraGeometry(zones, lines);
    }

    private static String checkId(String where, String kind, int position, String id, Set<String> seen) {
        if (id == null || id.isBlank()) {
            throw new InvalidCameraConfigException(where + ": " + kind + " " + position + " has no id: give each "
                    + kind + " an id");
        }
        if (!seen.add(id)) {
            throw new InvalidCameraConfigException(where + ": two " + kind + "s have the id '" + id + "': " + kind
                    + " ids must be unique per camera");
        }
        return id;
    }

    public List<Zone> zones() {
        return zones;
    }

    public List<Line> lines() {
        return lines;
    }

    public boolean hasZone(String id) {
        return zones.stream().anyMatch(z -> z.id().equals(id));
    }

    public boolean hasLine(String id) {
        return lines.stream().anyMatch(l -> l.id().equals(id));
    }
}
