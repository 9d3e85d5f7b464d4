package io.emostream.ingest;

import io.emostream.schemas.VideoFrame;

import java.util.concurrent.TimeUnit;

/**
 * Where a camera goes on after an earlier ingest: the sequence its next frame takes (so that camera id and sequence
 * stay unique across restarts, live sources too) and, for a file, the source position of the last frame already in
 * the topic, read from the frame's {@value #POSITION_KEY} metadata.
 *
 * @param nextSequence   the next frame's sequence
 * @param source         the (redacted) source the last frame came from, or null
 * @param positionMicros the last published frame's timestamp in the source, or -1 when unknown
 * @param captureMicros  its capture time (epoch microseconds)
 */
record ResumePoint(long nextSequence, String source, long positionMicros, long captureMicros) {
    /** Metadata key of every published frame: its timestamp in the source, in microseconds. */
    static final String POSITION_KEY = "source.position.us";
    static final ResumePoint FRESH = new ResumePoint(0, null, -1, 0);

    static ResumePoint after(VideoFrame last) {
        String position = last.getMetadata().get(POSITION_KEY);
        long micros;
        try {
            micros = position == null ? -1 : Long.parseLong(position);
        } catch (NumberFormatException e) {
            micros = -1;
        }
        return new ResumePoint(last.getSequence() + 1, last.getMetadata().get("source"), micros,
                TimeUnit.MILLISECONDS.toMicros(last.getCaptureTimestamp().toEpochMilli()));
    }

    /** The same sequence, the source read from its beginning. */
    ResumePoint sequenceOnly() {
        return new ResumePoint(nextSequence, null, -1, 0);
    }

    /** Whether a file camera reading {@code redactedSource} goes on after {@link #positionMicros}. */
    boolean continuesFile(String redactedSource) {
        return positionMicros >= 0 && redactedSource.equals(source);
    }
}
