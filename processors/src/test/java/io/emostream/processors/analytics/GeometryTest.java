package io.emostream.processors.analytics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Point in polygon, pixel rows of a polygon, and which way and where a path crosses a directed line. */
class GeometryTest {
    private static final Polygon SQUARE = new Polygon("square", new double[]{0.2, 0.6, 0.6, 0.2},
            new double[]{0.2, 0.2, 0.6, 0.6});
    /** An L: the square 0.1..0.9 without its top-right quarter 0.5..0.9 x 0.1..0.5. */
    private static final Polygon L_SHAPE = new Polygon("L", new double[]{0.1, 0.5, 0.5, 0.9, 0.9, 0.1},
            new double[]{0.1, 0.1, 0.5, 0.5, 0.9, 0.9});
    /** The line x = 0.5 from y = 0.2 down to y = 0.8: its left is the right half of the image. */
    private static final DirectedLine DOWN = new DirectedLine("down", 0.5, 0.2, 0.5, 0.8);

    @Test
    void pointsInsideAPolygonAreContainedAndPointsOutsideAreNot() {
        assertTrue(SQUARE.contains(0.4, 0.4));
        assertFalse(SQUARE.contains(0.1, 0.4));
        assertFalse(SQUARE.contains(0.4, 0.7));
        assertTrue(L_SHAPE.contains(0.3, 0.3));
        assertTrue(L_SHAPE.contains(0.7, 0.7));
        assertFalse(L_SHAPE.contains(0.7, 0.3), "the L's missing quarter is outside");
    }

    @Test
    void columnRunsOfARowAreThePixelsWhoseCentresAreInside() {
        // 10 columns: centres 0.05, 0.15, ... ; at y = 0.3 the L covers x 0.1..0.5: centres 0.15 .. 0.45
        assertArrayEquals(new int[]{1, 5}, L_SHAPE.columnRuns(0.3, 10));
        // at y = 0.7 it covers 0.1..0.9: centres 0.15 .. 0.85
        assertArrayEquals(new int[]{1, 9}, L_SHAPE.columnRuns(0.7, 10));
        assertArrayEquals(new int[0], L_SHAPE.columnRuns(0.95, 10));
        // a C opening to the right has two runs on its middle rows
        Polygon c = new Polygon("C", new double[]{0.1, 0.9, 0.9, 0.3, 0.3, 0.9, 0.9, 0.1},
                new double[]{0.1, 0.1, 0.3, 0.3, 0.7, 0.7, 0.9, 0.9});
        assertArrayEquals(new int[]{1, 3}, c.columnRuns(0.5, 10));
        Polygon u = new Polygon("U", new double[]{0.1, 0.3, 0.3, 0.7, 0.7, 0.9, 0.9, 0.1},
                new double[]{0.1, 0.1, 0.7, 0.7, 0.1, 0.1, 0.9, 0.9});
        assertArrayEquals(new int[]{1, 3, 7, 9}, u.columnRuns(0.4, 10));
    }

    @Test
    void leftAndRightOfALineAreAsSeenWalkingFromAToBOnTheImage() {
        // walking down the image, the left hand points to larger x
        assertEquals(-1, DOWN.side(0.7, 0.5));
        assertEquals(1, DOWN.side(0.3, 0.5));
        assertEquals(0, DOWN.side(0.5, 0.5));
        // walking right along the image, the left hand points up (smaller y)
        DirectedLine right = new DirectedLine("right", 0.2, 0.5, 0.8, 0.5);
        assertEquals(-1, right.side(0.5, 0.4));
        assertEquals(1, right.side(0.5, 0.6));
    }

    /**
     * A path crosses the segment through it in either direction, or through one of its ends; not past its ends
     * (where only the infinite line is crossed); not by reaching the line, only by leaving it to the other side.
     */
    @ParameterizedTest(name = "{4}: {5}")
    @CsvSource(delimiter = '|', textBlock = """
            0.7 | 0.5  | 0.3 | 0.5  | true  | right to left through the middle
            0.3 | 0.5  | 0.7 | 0.5  | true  | left to right through the middle
            0.9 | 0.1  | 0.1 | 0.9  | true  | a slanted path meeting the segment's middle
            0.7 | 0.1  | 0.3 | 0.1  | false | above a
            0.7 | 0.9  | 0.3 | 0.9  | false | below b
            0.9 | 0.0  | 0.3 | 0.3  | false | meets the line at y = 0.15, above a
            0.6 | 0.2  | 0.4 | 0.2  | true  | through a
            0.6 | 0.7  | 0.4 | 0.9  | true  | through b
            0.7 | 0.5  | 0.5 | 0.5  | false | arriving on the line
            0.7 | 0.5  | 0.6 | 0.5  | false | staying on one side
            0.5 | 0.5  | 0.3 | 0.5  | true  | from a point on the segment to a side
            0.5 | 0.95 | 0.3 | 0.95 | false | from a point on the line beyond b
            """)
    void aPathCrossesTheSegmentOnlyThroughItOrAnEndAndOnlyByLeavingTheLine(double x1, double y1, double x2,
                                                                           double y2, boolean crosses, String path) {
        assertEquals(crosses, DOWN.crossedBy(x1, y1, x2, y2), path);
    }
}
