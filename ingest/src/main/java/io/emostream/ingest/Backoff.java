package io.emostream.ingest;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter between reconnection attempts: a random delay in [base/2, base], base doubling up to a cap. */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private int attempts;

    public Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
    }

    /** The delay before the next attempt; counts the attempt. */
    public Duration next() {
        long base = Math.min(maxMillis, initialMillis << Math.min(attempts, 30));
        attempts++;
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    public int attempts() {
        return attempts;
    }

    public void reset() {
        attempts = 0;
    }
}
