package io.emostream.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Exact counts from the sampler's rule: of n frames at {@code i / r}, a target rate f &le; r keeps
 * {@code floor(((n - 1) / r + 0.001) * f) + 1} (one per slot k / f up to the last frame, a millisecond of tolerance);
 * f &gt; r keeps all n.
 */
class FrameSamplerTest {
    /** Capture times are epoch microseconds: the sampler must be exact that far from zero too. */
    private static final long EPOCH_MICROS = 1_764_460_800_000_000L;

    private static int kept(FrameSampler sampler, double sourceFps, int frames, long offsetMicros) {
        int kept = 0;
        for (int i = 0; i < frames; i++) {
            if (sampler.accept(offsetMicros + Math.round(i * 1_000_000.0 / sourceFps))) kept++;
        }
        return kept;
    }

    @ParameterizedTest(name = "{1} fps keeps {2} of 795 frames at 10 fps")
    @CsvSource({
            // the last frame is at 79.4 s: floor(79.401 * f) + 1
            "0.2,   16",
            "0.5,   40",
            "1,     80",
            "2.5,  199",
            // above the source's rate: every frame
            "29.97, 795"})
    void aTenFpsFileOf795FramesKeepsOneFramePerSlotOfTheTargetRate(double fps, int expected) {
        assertEquals(expected, kept(new FrameSampler(fps), 10, 795, EPOCH_MICROS));
        assertEquals(expected, kept(new FrameSampler(fps), 10, 795, 0), "the same from a zero timestamp");
    }

    @Test
    void ntscRateFromThirtyFpsDropsThreeFramesInThreeThousand() {
        // last frame at 99.9667 s: floor(99.9677 * 29.97) + 1 = 2997
        assertEquals(2997, kept(new FrameSampler(29.97), 30, 3000, EPOCH_MICROS));
    }

    @Test
    void thirtyFpsSampledAtFiveKeepsEverySixthFrame() {
        // last frame at 9.9667 s: floor(9.9677 * 5) + 1 = 50
        assertEquals(50, kept(new FrameSampler(5), 30, 300, 0));
    }

    @Test
    void timestampsRoundedToMillisecondsStillKeepEveryFrameAtTheSourceRate() {
        // Matroska stores 29.97 fps frames at whole milliseconds, up to half a millisecond before their slot
        FrameSampler sampler = new FrameSampler(30_000 / 1001.0);
        int kept = 0;
        for (int i = 0; i < 3000; i++) {
            if (sampler.accept(EPOCH_MICROS + 1000 * Math.round(i * 1001 / 30.0))) kept++;
        }
        assertEquals(3000, kept);
    }

    @Test
    void zeroFpsKeepsEveryFrame() {
        assertEquals(90, kept(new FrameSampler(0), 30, 90, 0));
    }

    @Test
    void gapDoesNotCauseBurst() {
        FrameSampler sampler = new FrameSampler(5);
        int before = kept(sampler, 30, 30, 0);
        // the stream resumes 10 s later: the slots passed meanwhile are skipped, not made up
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
