package io.emostream.processors.tracking;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written trajectories at 25 frames/s; people are 40 x 80 px boxes. */
class TrackerTest {
    private static final int PERSON = 0;
    private static final int CAR = 2;
    private static final long FRAME_MS = 40;
    private static final TrackerSettings DEFAULTS = TrackerSettings.defaults();

    private static Observation person(double centreX, double centreY) {
        return person(centreX, centreY, 0.9f);
    }

    private static Observation person(double centreX, double centreY, float score) {
        return new Observation(PERSON, "person", score, Box.ofCentre(centreX, centreY, 40, 80));
    }

    private static Observation car(double centreX, double centreY) {
        return new Observation(CAR, "car", 0.9f, Box.ofCentre(centreX, centreY, 40, 80));
    }

    private static List<Long> ids(TrackerResult result) {
        return result.tracks().stream().map(TrackedBox::trackId).toList();
    }

    private static TrackerSettings with(int confirmHits, int maxMisses, long maxLostMs, int maxTracks) {
        TrackerSettings d = DEFAULTS;
        return new TrackerSettings(d.highScore(), d.lowScore(), d.highMatchIou(), d.lowMatchIou(), confirmHits,
                maxMisses, maxLostMs, maxTracks, d.measurementNoise(), d.accelerationNoise(),
                d.initialVelocityNoise());
    }

    @Test
    void keepsItsIdThroughAnOcclusionOfSeveralFrames() {
        Tracker tracker = new Tracker(DEFAULTS);
        List<Long> seen = new ArrayList<>();
        for (int f = 0; f < 50; f++) {
            long t = f * FRAME_MS;
            double x = 100 + 100 * t / 1000.0;
            // 8 frames, 320 ms: the box moves 32 px of its 40 px width (IoU 0.11 with where it was last seen)
            boolean hidden = f >= 25 && f < 33;
            TrackerResult result = tracker.update(t, hidden ? List.of() : List.of(person(x, 300)));
            if (hidden) {
                assertTrue(result.tracks().isEmpty(), "frame " + f + ": a missed track is not reported");
                assertTrue(result.endedTrackIds().isEmpty(), "frame " + f);
            } else if (f >= 2) {
                assertEquals(List.of(1L), ids(result), "frame " + f);
            }
            seen.addAll(ids(result));
        }
        assertEquals(List.of(1L), seen.stream().distinct().toList());
        assertEquals(1, tracker.tracks().size());
    }

    @Test
    void bridgesACaptureTimeGapByPredictingOverTheTimeElapsed() {
        Tracker tracker = new Tracker(DEFAULTS);
        double speed = 150; // px/s
        long t = 0;
        for (; t <= 1000; t += FRAME_MS) {
            tracker.update(t, List.of(person(100 + speed * t / 1000.0, 300)));
        }
        long last = t - FRAME_MS;
        long after = last + 600; // 14 frames skipped: the box moved 90 px, more than twice its width
        Observation reappeared = person(100 + speed * after / 1000.0, 300);
        Box lastSeen = person(100 + speed * last / 1000.0, 300).box();
        assertEquals(0, lastSeen.iou(reappeared.box()), "without prediction the boxes would not overlap");

        TrackerResult result = tracker.update(after, List.of(reappeared));

        assertEquals(List.of(1L), ids(result));
        assertEquals(speed, result.tracks().get(0).velocityX(), 15);
    }

    @Test
    void twoCrossingObjectsOfTheSameClassKeepTheirIds() {
        Tracker tracker = new Tracker(DEFAULTS);
        long rightwards = -1;
        long leftwards = -1;
        for (int f = 0; f <= 50; f++) {
            long t = f * FRAME_MS;
            double s = t / 1000.0;
            double xRight = 100 + 200 * s;
            double xLeft = 500 - 200 * s; // they pass each other at s = 1, boxes overlapping up to IoU 0.6
            TrackerResult result = tracker.update(t, List.of(person(xRight, 300), person(xLeft, 320)));
            for (TrackedBox track : result.tracks()) {
                boolean nearerRight = Math.hypot(track.box().centreX() - xRight, track.box().centreY() - 300)
                        < Math.hypot(track.box().centreX() - xLeft, track.box().centreY() - 320);
                if (nearerRight && rightwards < 0) rightwards = track.trackId();
                if (!nearerRight && leftwards < 0) leftwards = track.trackId();
                assertEquals(nearerRight ? rightwards : leftwards, track.trackId(), "frame " + f);
            }
            if (f >= 2) assertEquals(2, result.tracks().size(), "frame " + f);
        }
        assertTrue(rightwards > 0 && leftwards > 0 && rightwards != leftwards);
        assertEquals(2, tracker.tracks().size());
        for (Track track : tracker.tracks()) {
            assertEquals(track.id() == rightwards ? 200 : -200, track.filter().velocityX(), 20);
        }
    }

    @Test
    void matchesADetectionOnlyToATrackOfItsClass() {
        Tracker tracker = new Tracker(DEFAULTS);
        for (int f = 0; f < 5; f++) {
            TrackerResult result = tracker.update(f * FRAME_MS, List.of(person(200, 200)));
            assertEquals(f >= 2 ? List.of(1L) : List.of(), ids(result));
        }
        // A car where the person was: the person's track is missed, the car starts its own.
        for (int f = 5; f < 10; f++) {
            TrackerResult result = tracker.update(f * FRAME_MS, List.of(car(200, 200)));
            for (TrackedBox track : result.tracks()) {
                assertEquals(2L, track.trackId(), "frame " + f);
                assertEquals(CAR, track.classId());
                assertEquals("car", track.label());
            }
            assertEquals(f >= 7 ? 1 : 0, result.tracks().size(), "frame " + f);
        }
        Track person = tracker.tracks().get(0);
        assertEquals(1L, person.id());
        assertEquals(5, person.misses());
    }

    @Test
    void confirmsATrackAfterConfirmHitsMatchesAndOnlyThenReportsIt() {
        Tracker tracker = new Tracker(with(4, 30, 2_000, 256));
        for (int f = 0; f < 3; f++) {
            assertTrue(tracker.update(f * FRAME_MS, List.of(person(200, 200))).tracks().isEmpty(), "frame " + f);
        }
        TrackerResult confirmed = tracker.update(3 * FRAME_MS, List.of(person(200, 200)));
        assertEquals(List.of(1L), ids(confirmed));
        assertEquals(4, confirmed.tracks().get(0).hits());
        assertEquals(3 * FRAME_MS, confirmed.tracks().get(0).ageMs());
    }

    @Test
    void dropsATentativeTrackAtItsFirstMiss() {
        Tracker tracker = new Tracker(DEFAULTS);
        tracker.update(0, List.of(person(200, 200)));
        tracker.update(40, List.of(person(200, 200)));
        TrackerResult missed = tracker.update(80, List.of());
        assertTrue(missed.endedTrackIds().isEmpty(), "a tentative track was never reported, so it does not end");
        assertTrue(tracker.tracks().isEmpty());
        tracker.update(120, List.of(person(200, 200)));
        tracker.update(160, List.of(person(200, 200)));
        assertEquals(List.of(2L), ids(tracker.update(200, List.of(person(200, 200)))));
    }

    @Test
    void endsAConfirmedTrackAtItsMaxMissesMissAndListsItOnce() {
        Tracker tracker = new Tracker(with(3, 5, 60_000, 256));
        long t = 0;
        for (int f = 0; f < 3; f++, t += FRAME_MS) {
            tracker.update(t, List.of(person(200, 200)));
        }
        for (int miss = 1; miss <= 6; miss++, t += FRAME_MS) {
            TrackerResult result = tracker.update(t, List.of());
            assertEquals(miss == 5 ? List.of(1L) : List.of(), result.endedTrackIds(), "miss " + miss);
            assertEquals(miss < 5 ? 1 : 0, tracker.tracks().size(), "miss " + miss + ": ended tracks are evicted");
        }
    }

    @Test
    void endsAConfirmedTrackWhoseLastMatchIsOlderThanMaxLostMs() {
        Tracker tracker = new Tracker(with(3, 30, 500, 256));
        for (int f = 0; f < 3; f++) {
            tracker.update(f * FRAME_MS, List.of(person(200, 200)));
        }
        TrackerResult afterGap = tracker.update(2 * FRAME_MS + 501, List.of(person(200, 200)));
        assertEquals(List.of(1L), afterGap.endedTrackIds());
        assertTrue(afterGap.tracks().isEmpty(), "the detection starts a new, tentative track");
        assertEquals(List.of(2L), tracker.tracks().stream().map(Track::id).toList());
    }

    @Test
    void lowScoreDetectionsKeepATrackGoingButStartNone() {
        Tracker tracker = new Tracker(DEFAULTS);
        long t = 0;
        for (int f = 0; f < 3; f++, t += FRAME_MS) {
            tracker.update(t, List.of(person(200, 200)));
        }
        for (int f = 0; f < 10; f++, t += FRAME_MS) {
            TrackerResult result = tracker.update(t, List.of(person(200, 200, 0.3f), person(600, 200, 0.3f)));
            assertEquals(List.of(1L), ids(result));
            assertEquals(0.3f, result.tracks().get(0).score());
        }
        assertEquals(1, tracker.tracks().size(), "the lone low-score detection started nothing");
        TrackerResult belowLow = tracker.update(t, List.of(person(200, 200, 0.05f)));
        assertTrue(belowLow.tracks().isEmpty(), "scores under lowScore are ignored");
    }

    @Test
    void answersALateFrameWithoutChangingTheState() {
        Tracker tracker = new Tracker(DEFAULTS);
        for (int f = 0; f < 10; f++) {
            tracker.update(f * FRAME_MS, List.of(person(200 + f, 200)));
        }
        Track track = tracker.tracks().get(0);
        Box before = track.filter().box();

        Observation late = person(204, 200);
        TrackerResult result = tracker.matchLate(4 * FRAME_MS, List.of(late, person(900, 500)));

        assertEquals(List.of(1L), ids(result));
        assertEquals(late.box(), result.tracks().get(0).box());
        assertEquals(4 * FRAME_MS, result.tracks().get(0).ageMs());
        assertEquals(9 * FRAME_MS, tracker.lastCaptureMs());
        assertEquals(2, tracker.nextTrackId(), "the unmatched late detection started no track");
        assertEquals(1, tracker.tracks().size());
        assertEquals(10, track.hits());
        assertEquals(before, track.filter().box());
        assertThrows(IllegalArgumentException.class, () -> tracker.update(9 * FRAME_MS, List.of()));
    }

    @Test
    void startsNoTrackBeyondMaxTracks() {
        Tracker tracker = new Tracker(with(3, 30, 2_000, 3));
        List<Observation> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(person(100 + 100 * i, 200));
        }
        tracker.update(0, five);
        assertEquals(3, tracker.tracks().size());
    }

    @Test
    void settingsRejectALowScoreAboveTheHighScore() {
        TrackerSettings d = DEFAULTS;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrackerSettings(0.4,
                0.6, d.highMatchIou(), d.lowMatchIou(), 3, 30, 2_000, 256, 0.05, 2, 1));
        assertEquals("lowScore (0.6) must not exceed highScore (0.4)", e.getMessage());
    }
}
