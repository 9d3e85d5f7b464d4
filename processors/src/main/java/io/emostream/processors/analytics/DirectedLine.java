package io.emostream.processors.analytics;

/**
 * A counting line: the segment from a to b in frame fractions (x right, y down). Its left and right are as seen
 * walking from a to b on the image; a track crossing from left to right counts IN, from right to left OUT.
 */
public final class DirectedLine {
    private final double ax;
    private final double ay;
    private final double bx;
    private final double by;

    /** @param name how messages name the line, e.g. "camera 'cam-1': line 'gate'" */
    public DirectedLine(String name, double ax, double ay, double bx, double by) {
        Plane.checkInFrame(name + ": a", ax, ay);
        Plane.checkInFrame(name + ": b", bx, by);
        if (ax == bx && ay == by) {
            throw new InvalidCameraConfigException(name + " is degenerate: a and b are the same point (" + ax + ", "
                    + ay + "); give two different points");
        }
        this.ax = ax;
        this.ay = ay;
        this.bx = bx;
        this.by = by;
    }

    /** -1 left of the line through a and b, +1 right of it, 0 on it. */
    public int side(double x, double y) {
        return (int) Math.signum(Plane.cross(ax, ay, bx, by, x, y));
    }

    /**
     * Whether moving straight from p to q crosses the segment: q is strictly on the other side from p (or p lies
     * on the line), and the path meets the line between a and b, ends included. Touching the line is no crossing.
     */
    public boolean crossedBy(double px, double py, double qx, double qy) {
        int from = side(px, py);
        int to = side(qx, qy);
        if (to == 0 || from == to) return false;
        double cp = Plane.cross(ax, ay, bx, by, px, py);
        double cq = Plane.cross(ax, ay, bx, by, qx, qy);
        double u = cp / (cp - cq); // where the path meets the line, 0..1 from p to q
        double mx = px + u * (qx - px);
        double my = py + u * (qy - py);
        double dx = bx - ax;
        double dy = by - ay;
        double t = ((mx - ax) * dx + (my - ay) * dy) / (dx * dx + dy * dy); // 0 at a, 1 at b
        return t >= 0 && t <= 1;
    }
}
