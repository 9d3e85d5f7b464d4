package io.emostream.ingest;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    @Test
    void delaysDoubleWithJitterUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] bases = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long base : bases) {
            long d = backoff.next().toMillis();
            assertTrue(d >= base / 2 && d <= base, d + " not in [" + base / 2 + ", " + base + "]");
        }
        assertEquals(bases.length, backoff.attempts());
        backoff.reset();
        assertTrue(backoff.next().toMillis() <= 100);
    }
}
