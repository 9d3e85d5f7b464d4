package io.emostream.processors.analytics;

import java.util.Arrays;

/**
 * A zone's outline in frame fractions (x right, y down), checked on construction: 3 to {@value #MAX_POINTS} points
 * inside the frame, no point repeated by the next, and no edge meeting another except its neighbours at their
 * shared point. Inside is decided by the even-odd rule, for points and for pixel centres alike.
 */
public final class Polygon {
    /** Bounds the quadratic self-intersection check and the per-frame cost of a record from the topic. */
    public static final int MAX_POINTS = 1000;

    private final double[] xs;
    private final double[] ys;

    /** @param name how messages name the polygon, e.g. "camera 'cam-1': zone 'door'" */
    public Polygon(String name, double[] xs, double[] ys) {
        if (xs.length != ys.length) throw new IllegalArgumentException("xs and ys differ in length");
        int n = xs.length;
        if (n < 3) {
            throw new InvalidCameraConfigException(name + " has " + n + (n == 1 ? " point" : " points")
                    + ": a zone needs at least 3");
        }
        if (n > MAX_POINTS) {
            throw new InvalidCameraConfigException(name + " has " + n + " points: at most " + MAX_POINTS
                    + " are allowed");
        }
        for (int i = 0; i < n; i++) {
            Plane.checkInFrame(name + ": point " + (i + 1), xs[i], ys[i]);
        }
        this.xs = xs.clone();
        this.ys = ys.clone();
        checkSimple(name);
    }

    public int size() {
        return xs.length;
    }

    /** Whether (x, y) is inside: an odd number of edges cross the horizontal ray from it to the right. */
    public boolean contains(double x, double y) {
        boolean inside = false;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
            if ((ys[i] > y) != (ys[j] > y) && x < crossingX(i, j, y)) inside = !inside;
        }
        return inside;
    }

    /**
     * The pixels of one mask row that are inside: the columns c of a {@code columns}-wide row at height {@code y}
     * with {@code contains((c + 0.5) / columns, y)}, as [start, end) pairs from left to right. Found from the edges'
     * crossings of the row, so the cost does not depend on the row's width.
     */
    public int[] columnRuns(double y, int columns) {
        double[] cuts = new double[xs.length];
        int m = 0;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
            if ((ys[i] > y) != (ys[j] > y)) cuts[m++] = crossingX(i, j, y);
        }
        Arrays.sort(cuts, 0, m);
        // A centre x is inside when an odd number of cuts lie right of it: between cuts 2k and 2k+1.
        int[] runs = new int[m];
        int r = 0;
        for (int k = 0; k + 1 < m; k += 2) {
            int start = firstColumnFrom(cuts[k], columns);
            int end = firstColumnFrom(cuts[k + 1], columns);
            if (end > start) {
                runs[r++] = start;
                runs[r++] = end;
            }
        }
        return Arrays.copyOf(runs, r);
    }

    /** Fraction x of the centre of pixel column {@code column} in a {@code columns}-wide row. */
    public static double pixelCentre(int column, int columns) {
        return (column + 0.5) / columns;
    }

    /** The first column whose centre is at or right of x, computed exactly as {@link #pixelCentre} does. */
    private static int firstColumnFrom(double x, int columns) {
        int c = (int) Math.max(0, Math.min(columns, Math.ceil(x * columns - 0.5)));
        while (c > 0 && pixelCentre(c - 1, columns) >= x) c--;
        while (c < columns && pixelCentre(c, columns) < x) c++;
        return c;
    }

    private double crossingX(int i, int j, double y) {
        return xs[i] + (y - ys[i]) * (xs[j] - xs[i]) / (ys[j] - ys[i]);
    }

    private void checkSimple(String name) {
        int n = xs.length;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            if (xs[i] == xs[j] && ys[i] == ys[j]) {
                throw new InvalidCameraConfigException(name + ": point " + (j + 1) + " repeats point " + (i + 1)
                        + "; drop one of them");
            }
        }
        for (int i = 0; i < n; i++) {
            int b = (i + 1) % n;
            int c = (i + 2) % n;
            boolean collinear = Plane.cross(xs[i], ys[i], xs[b], ys[b], xs[c], ys[c]) == 0;
            if (collinear && (xs[i] - xs[b]) * (xs[c] - xs[b]) + (ys[i] - ys[b]) * (ys[c] - ys[b]) > 0) {
                throw new InvalidCameraConfigException(name + " is self-intersecting: its two edges at point "
                        + (b + 1) + " run back over each other; list the points in order around the zone");
            }
            for (int k = i + 2; k < n; k++) {
                if (i == 0 && k == n - 1) continue; // the closing edge is the first edge's neighbour
                int l = (k + 1) % n;
                if (Plane.segmentsMeet(xs[i], ys[i], xs[b], ys[b], xs[k], ys[k], xs[l], ys[l])) {
                    throw new InvalidCameraConfigException(name + " is self-intersecting: its edge from point "
                            + (i + 1) + " to point " + (b + 1) + " meets its edge from point " + (k + 1)
                            + " to point " + (l + 1) + "; list the points in order around the zone");
                }
            }
        }
    }
}
