package io.emostream.processors.analytics;

import io.emostream.schemas.LineConfig;
import io.emostream.schemas.Point;
import io.emostream.schemas.ZoneConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Zones and lines of a {@code CameraConfig} from plain coordinates, fractions 0..1 of the frame, for code that draws
 * them (benchmarks, tests). Builds the records only; {@link CameraGeometry#of} checks them.
 */
public final class CameraConfigs {
    private CameraConfigs() { }

    /** A zone through the points (x1, y1, x2, y2, ...), in order around it. */
    public static ZoneConfig zone(String id, double... xy) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("zone '" + id + "': " + xy.length + " coordinates are not x, y pairs");
        }
        List<Point> points = new ArrayList<>(xy.length / 2);
        for (int i = 0; i < xy.length; i += 2) points.add(new Point(xy[i], xy[i + 1]));
        return new ZoneConfig(id, points);
    }

    /** A line from a to b; crossing it from its left to its right counts IN. */
    public static LineConfig line(String id, double ax, double ay, double bx, double by) {
        return new LineConfig(id, new Point(ax, ay), new Point(bx, by));
    }
}
