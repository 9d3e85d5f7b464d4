package io.emostream.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoakVerdictTest {
    private final List<SoakScenario.Sample> samples = new ArrayList<>();
    private final List<double[]> latencies = new ArrayList<>();

    /** A sample of 20 frames whose latencies are all {@code latencyMs}. */
    private void sample(double rssMiB, double latencyMs) {
        double[] ms = new double[20];
        java.util.Arrays.fill(ms, latencyMs);
        latencies.add(ms);
        samples.add(new SoakScenario.Sample(samples.size() + 1, 60.0 * (samples.size() + 1), 0, 0, 0, rssMiB, 100,
                200, 10, Latencies.ofMillis(ms), 1));
    }

    @Test
    void growthAndDriftAreMeasuredAfterTheWarmUpOnly() {
        sample(500, 5_000);      // warm-up: large and slow, left out
        sample(1000, 100);
        sample(1010, 100);
        sample(1020, 105);
        sample(1040, 105);
        SoakScenario.Verdict verdict = SoakScenario.verdict(samples, latencies, 1, 100, 100, 0);
        assertEquals(0.04, verdict.rssGrowth(), 1e-9, "last sample against the first after the warm-up");
        assertEquals(0.05, verdict.p95Drift(), 1e-9, "the second half's p95 against the first half's");
        assertTrue(verdict.pass());
        assertEquals("verdict=PASS rss_growth=+4.0% p95_drift=+5.0% frames=100 answered=100 dlq=0 lost=0",
                verdict.line());
    }

    @Test
    void residentGrowthOfFivePercentOrALatencyDriftOfTenFailsTheRun() {
        sample(1000, 100);
        sample(1000, 100);
        sample(1050, 100);
        assertFalse(SoakScenario.verdict(samples, latencies, 1, 10, 10, 0).pass(), "+5 % resident memory");
        samples.clear();
        latencies.clear();
        sample(1000, 100);
        sample(1000, 100);
        sample(1000, 110);
        SoakScenario.Verdict slower = SoakScenario.verdict(samples, latencies, 1, 10, 10, 0);
        assertEquals(0.10, slower.p95Drift(), 1e-9);
        assertFalse(slower.pass(), "+10 % p95 latency");
    }

    @Test
    void aFrameLostOrDeadLetteredFailsTheRun() {
        sample(1000, 100);
        sample(1000, 100);
        sample(1000, 100);
        SoakScenario.Verdict lost = SoakScenario.verdict(samples, latencies, 1, 10, 9, 0);
        assertEquals(1, lost.unanswered());
        assertFalse(lost.pass());
        assertTrue(lost.line().endsWith("frames=10 answered=9 dlq=0 lost=1"), lost.line());
        assertFalse(SoakScenario.verdict(samples, latencies, 1, 10, 9, 1).pass(), "a dead letter");
    }
}
