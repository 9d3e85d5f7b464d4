package io.emostream.ingest;

/**
 * Keeps frames at a target rate by their timestamps, dropping the rest (never queueing them). The due time advances by
 * one interval per kept frame, so the long-run rate is exact; it resynchronises after a gap or a backward jump (a new
 * connection) so a stall never causes a burst.
 */
public final class FrameSampler {
    private final long intervalMicros;
    private final long toleranceMicros;
    private long nextDueMicros = Long.MIN_VALUE;

    /** @param fps target rate; 0 keeps every frame */
    public FrameSampler(double fps) {
        this.intervalMicros = fps > 0 ? Math.round(1_000_000 / fps) : 0;
        // Timestamps are rounded to the stream's time base: accept a frame slightly before its due time.
        this.toleranceMicros = intervalMicros / 8;
    }

    /** Whether the frame with this timestamp (microseconds) is kept. */
    public boolean accept(long timestampMicros) {
        if (intervalMicros == 0) return true;
        if (nextDueMicros == Long.MIN_VALUE || timestampMicros < nextDueMicros - intervalMicros
                || timestampMicros > nextDueMicros + intervalMicros) {
            nextDueMicros = timestampMicros + intervalMicros;
            return true;
        }
        if (timestampMicros >= nextDueMicros - toleranceMicros) {
            nextDueMicros += intervalMicros;
            return true;
        }
        return false;
    }
}
