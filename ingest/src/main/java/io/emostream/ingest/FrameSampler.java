package io.emostream.ingest;

/**
 * Keeps frames at a target rate by their timestamps, dropping the rest (never queueing them).
 *
 * <p>The rule: slot k falls at {@code t0 + k / fps}, t0 being the first frame's timestamp. The first frame is kept;
 * after it, a frame is kept when its timestamp reaches the earliest slot not yet taken, and keeping it takes every
 * slot up to its timestamp. So at most one frame is kept per slot, slots that pass without a frame (a source slower
 * than the target, a stall) are skipped rather than made up in a burst, and the long-run rate is exact. A source of
 * rate r &ge; fps whose frames sit at {@code i / r} keeps {@code floor(((n - 1) / r + tolerance) * fps) + 1} of n
 * frames; a slower source keeps them all.
 *
 * <p>A frame up to {@link #TOLERANCE_MICROS} (at most half a slot) before its slot counts as reaching it: containers
 * round timestamps to their time base (a millisecond in Matroska), which would otherwise push a frame due exactly at
 * a slot just before it. Timestamps going backwards (a new connection whose clock starts over) begin a new series of
 * slots.
 */
public final class FrameSampler {
    static final long TOLERANCE_MICROS = 1_000;
    private final double slotsPerMicro;
    private final double toleranceMicros;
    private long originMicros;
    private long lastMicros = Long.MIN_VALUE;
    private long nextSlot;

    /** @param fps target rate; 0 keeps every frame */
    public FrameSampler(double fps) {
        this.slotsPerMicro = fps / 1_000_000;
        this.toleranceMicros = fps > 0 ? Math.min(TOLERANCE_MICROS, 500_000 / fps) : 0;
    }

    /** Whether the frame with this timestamp (microseconds) is kept. */
    public boolean accept(long timestampMicros) {
        if (slotsPerMicro == 0) return true;
        if (timestampMicros < lastMicros || lastMicros == Long.MIN_VALUE) {
            originMicros = timestampMicros;
            nextSlot = 0;
        }
        lastMicros = timestampMicros;
        long slot = (long) Math.floor((timestampMicros - originMicros + toleranceMicros) * slotsPerMicro);
        if (slot < nextSlot) return false;
        nextSlot = slot + 1;
        return true;
    }
}
