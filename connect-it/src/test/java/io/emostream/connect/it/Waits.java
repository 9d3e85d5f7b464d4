package io.emostream.connect.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling for what a worker does in its own threads. */
final class Waits {
    private Waits() { }

    /** Waits until {@code condition} holds; fails with {@code what} (evaluated then) after {@code timeout}. */
    static void until(BooleanSupplier condition, Duration timeout, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            Thread.sleep(200);
        }
    }
}
