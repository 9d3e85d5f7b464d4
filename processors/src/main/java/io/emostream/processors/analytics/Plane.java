package io.emostream.processors.analytics;

/** Plane geometry on frame fractions (x right, y down) shared by polygons and lines. */
final class Plane {
    private Plane() { }

    /** Throws unless (x, y) lies in the frame: coordinates are fractions 0..1 of its width and height. */
    static void checkInFrame(String what, double x, double y) {
        if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
            throw new InvalidCameraConfigException(what + " (" + x + ", " + y + ") is outside the frame: coordinates"
                    + " are fractions 0..1 of the frame width and height");
        }
    }

    /**
     * Cross product of (b - a) and (p - a): positive when p is right of the directed line a->b as seen on the
     * image (y down), negative when left, zero on it.
     */
    static double cross(double ax, double ay, double bx, double by, double px, double py) {
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    }

    /** Whether the closed segments p1-p2 and p3-p4 share a point (touching and overlapping included). */
    static boolean segmentsMeet(double x1, double y1, double x2, double y2,
                                double x3, double y3, double x4, double y4) {
        double d1 = Math.signum(cross(x3, y3, x4, y4, x1, y1));
        double d2 = Math.signum(cross(x3, y3, x4, y4, x2, y2));
        double d3 = Math.signum(cross(x1, y1, x2, y2, x3, y3));
        double d4 = Math.signum(cross(x1, y1, x2, y2, x4, y4));
        if (d1 * d2 < 0 && d3 * d4 < 0) return true;
        return d1 == 0 && withinBox(x3, y3, x4, y4, x1, y1)
                || d2 == 0 && withinBox(x3, y3, x4, y4, x2, y2)
                || d3 == 0 && withinBox(x1, y1, x2, y2, x3, y3)
                || d4 == 0 && withinBox(x1, y1, x2, y2, x4, y4);
    }

    /** For p on the line through a and b: whether p lies between them. */
    private static boolean withinBox(double ax, double ay, double bx, double by, double px, double py) {
        return px >= Math.min(ax, bx) && px <= Math.max(ax, bx) && py >= Math.min(ay, by) && py <= Math.max(ay, by);
    }
}
