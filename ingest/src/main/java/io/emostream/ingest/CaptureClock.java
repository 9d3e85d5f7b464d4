package io.emostream.ingest;

/**
 * Turns stream timestamps into capture times (epoch microseconds). Files: the start time plus the frame's pts
 * relative to the first frame. Live sources: stream timestamps anchored to the wall clock at the first frame of each
 * connection, re-anchored when they drift from the wall clock by more than {@link #MAX_LIVE_DRIFT_MICROS} (a camera
 * that resets its clock). Capture times never go backwards, across reconnections too. A file resumed by a later ingest
 * keeps the capture times of the first one ({@link #resume}).
 */
public final class CaptureClock {
    static final long MAX_LIVE_DRIFT_MICROS = 2_000_000;
    private final boolean live;
    private final long startMicros;
    private long anchorMicros;
    private boolean anchored;
    private boolean resumed;
    private long lastMicros = Long.MIN_VALUE;

    public CaptureClock(boolean live, long startEpochMicros) {
        this.live = live;
        this.startMicros = startEpochMicros;
    }

    /** Files: the frame at {@code streamMicros} was captured at {@code captureMicros}, and so are the others. */
    public void resume(long streamMicros, long captureMicros) {
        if (live) throw new IllegalStateException("live capture times follow the wall clock");
        anchorMicros = captureMicros - streamMicros;
        anchored = true;
        resumed = true;
    }

    /** A new connection: the stream's timestamps start over. */
    public void reconnected() {
        anchored = resumed;
    }

    /** The capture time of a frame with this stream timestamp, given the wall clock now (both microseconds). */
    public long captureMicros(long streamMicros, long nowEpochMicros) {
        long capture;
        if (!anchored) {
            anchorMicros = (live ? nowEpochMicros : startMicros) - streamMicros;
            anchored = true;
        }
        capture = anchorMicros + streamMicros;
        if (live && Math.abs(capture - nowEpochMicros) > MAX_LIVE_DRIFT_MICROS) {
            anchorMicros = nowEpochMicros - streamMicros;
            capture = nowEpochMicros;
        }
        if (capture <= lastMicros) capture = lastMicros + 1;
        lastMicros = capture;
        return capture;
    }
}
