package io.emostream.processors.tracking;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class IouMatchingTest {
    private static final int PERSON = 0;
    private static final int CAR = 2;

    @Test
    void maximisesTheTotalIouRatherThanTakingTheBestPairFirst() {
        Box a = new Box(0, 0, 10, 10);
        Box b = new Box(5, 0, 15, 10);
        // IoU (a, d0) 0.82 is the best pair, but taking it first leaves b unmatched (b and d1: 0.05, under the
        // minimum). (a, d1) 0.43 + (b, d0) 0.43 is the greater total.
        Box d0 = new Box(1, 0, 11, 10);
        Box d1 = new Box(-4, 0, 6, 10);
        int[] matched = IouMatching.match(new Box[] {a, b}, new int[] {PERSON, PERSON}, new Box[] {d0, d1},
                new int[] {PERSON, PERSON}, 0.2);
        assertArrayEquals(new int[] {1, 0}, matched);
    }

    @Test
    void matchesOnlyPairsOfTheSameClass() {
        Box box = new Box(0, 0, 10, 10);
        int[] matched = IouMatching.match(new Box[] {box}, new int[] {PERSON}, new Box[] {box}, new int[] {CAR},
                0.2);
        assertArrayEquals(new int[] {-1}, matched);
    }

    @Test
    void leavesPairsUnderTheMinimumIouUnmatched() {
        Box track = new Box(0, 0, 10, 10);
        Box shifted = new Box(6, 0, 16, 10); // IoU 4/16 = 0.25
        assertArrayEquals(new int[] {-1}, IouMatching.match(new Box[] {track}, new int[] {PERSON},
                new Box[] {shifted}, new int[] {PERSON}, 0.3));
        assertArrayEquals(new int[] {0}, IouMatching.match(new Box[] {track}, new int[] {PERSON},
                new Box[] {shifted}, new int[] {PERSON}, 0.2));
    }

    @Test
    void solvesSeparateGroupsEachOnItsOwn() {
        Box[] tracks = {new Box(0, 0, 10, 10), new Box(100, 100, 110, 110), new Box(200, 0, 210, 10)};
        Box[] detections = {new Box(201, 0, 211, 10), new Box(1, 1, 11, 11), new Box(500, 500, 510, 510)};
        int[] matched = IouMatching.match(tracks, new int[] {PERSON, PERSON, PERSON}, detections,
                new int[] {PERSON, PERSON, PERSON}, 0.2);
        assertArrayEquals(new int[] {1, -1, 0}, matched);
    }
}
