package io.emostream.ingest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureClockTest {

    @Test
    void fileCaptureTimeIsStartPlusPtsFromTheFirstFrame() {
        CaptureClock clock = new CaptureClock(false, 1_000_000_000L);
        assertEquals(1_000_000_000L, clock.captureMicros(1_400_000, 5));
        assertEquals(1_000_200_000L, clock.captureMicros(1_600_000, 999_999_999_999L));
    }

    @Test
    void liveCaptureTimeFollowsStreamTimestampsAnchoredToTheWallClock() {
        CaptureClock clock = new CaptureClock(true, 0);
        long now = 5_000_000_000L;
        assertEquals(now, clock.captureMicros(10_000, now));
        // the frame was delivered late (jitter): its capture time comes from the stream, not the arrival
        assertEquals(now + 40_000, clock.captureMicros(50_000, now + 90_000));
    }

    @Test
    void liveCaptureTimeNeverGoesBackwardsAcrossReconnections() {
        CaptureClock clock = new CaptureClock(true, 0);
        long now = 5_000_000_000L;
        long last = 0;
        for (int i = 0; i < 10; i++) last = clock.captureMicros(i * 100_000L, now + i * 100_000L);
        clock.reconnected();
        long afterReconnect = clock.captureMicros(0, now + 500_000);  // wall clock fell back (NTP step)
        assertTrue(afterReconnect > last, afterReconnect + " after " + last);
    }

    @Test
    void liveClockReanchorsWhenTheCameraClockJumps() {
        CaptureClock clock = new CaptureClock(true, 0);
        long now = 5_000_000_000L;
        clock.captureMicros(0, now);
        long jumped = clock.captureMicros(3_600_000_000L, now + 100_000);
        assertEquals(now + 100_000, jumped);
    }
}
