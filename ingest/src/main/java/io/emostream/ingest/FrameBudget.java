package io.emostream.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many more frames may be published: one camera's ({@code maxFrames}) or a whole ingest's, shared by its cameras'
 * capture threads. A frame takes its place before it is encoded, so a bound of N sends exactly N frames.
 */
final class FrameBudget {
    private static final long UNBOUNDED = -1;
    private final AtomicLong left;

    /** @param max frames in all; 0 for no bound */
    FrameBudget(long max) {
        if (max < 0) throw new IllegalArgumentException("a frame bound is 0 (none) or more, got " + max);
        this.left = new AtomicLong(max == 0 ? UNBOUNDED : max);
    }

    /** Takes a place for one frame; false when the bound is reached. */
    boolean take() {
        return left.getAndUpdate(n -> n > 0 ? n - 1 : n) != 0;
    }

    /** Whether no frame may be published any more. */
    boolean spent() {
        return left.get() == 0;
    }
}
