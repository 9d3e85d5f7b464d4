package io.emostream.cli.e2e;

import java.time.Duration;

/**
 * Waits for a state the system reaches asynchronously. Not a timing assertion: the bound only keeps a broken run
 * from hanging, and the failure says what never happened.
 */
final class Eventually {
    interface Condition {
        boolean holds() throws Exception;
    }

    private Eventually() { }

    /** Checks {@code condition} every 200 ms until it holds; an exception counts as not yet, and is reported. */
    static void await(String what, Duration bound, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) return;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("gave up waiting until " + what + (last == null ? "" : ": " + last), last);
    }
}
