package io.emostream.ingest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameSamplerTest {

    private static int kept(FrameSampler sampler, double sourceFps, int frames, long offsetMicros) {
        int kept = 0;
        for (int i = 0; i < frames; i++) {
            if (sampler.accept(offsetMicros + Math.round(i * 1_000_000 / sourceFps))) kept++;
        }
        return kept;
    }

    @Test
    void thirtyFpsSampledAtFiveKeepsFivePerSecond() {
        int kept = kept(new FrameSampler(5), 30, 300, 0);
        assertTrue(Math.abs(kept - 50) <= 1, "kept " + kept + " of 10 s at 30 fps");
    }

    @Test
    void nearlyEqualRatesKeepAlmostEveryFrame() {
        int kept = kept(new FrameSampler(29.97), 30, 3000, 0);
        assertTrue(Math.abs(kept - 2997) <= 1, "kept " + kept);
    }

    @Test
    void zeroFpsKeepsEveryFrame() {
        assertEquals(90, kept(new FrameSampler(0), 30, 90, 0));
    }

    @Test
    void gapDoesNotCauseBurst() {
        FrameSampler sampler = new FrameSampler(5);
        int before = kept(sampler, 30, 30, 0);
        // the stream resumes 10 s later: no catch-up burst, the same rate afterwards
        int after = kept(sampler, 30, 30, 11_000_000);
        assertEquals(5, before);
        assertEquals(5, after);
    }

    @Test
    void timestampsStartingOverAreSampledAgain() {
        FrameSampler sampler = new FrameSampler(5);
        kept(sampler, 30, 90, 50_000_000);
        assertEquals(15, kept(sampler, 30, 90, 0));
    }
}
