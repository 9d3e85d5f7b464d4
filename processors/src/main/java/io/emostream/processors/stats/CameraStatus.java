package io.emostream.processors.stats;

import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.serde.AvroSerdes;
import io.emostream.schemas.serde.FrameAnalyticsSerde;
import io.emostream.schemas.serde.FrameTracksSerde;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * What one camera looks like now: its last frame's capture time, its frame rate over a short recent span of capture
 * time, and its latest {@link FrameTracks} and {@link FrameAnalytics}. Tracks and analytics of the same frame share
 * its capture time, so a frame is counted once whichever arrives first; a frame older than the newest (out of order)
 * does not replace the latest records.
 */
public final class CameraStatus {
    private static final byte FORMAT_VERSION = 1;
    /** Caps the recent capture times kept for the rate whatever the span and frame rate. */
    static final int MAX_RECENT_FRAMES = 1000;

    private static final FrameTracksSerde TRACKS = AvroSerdes.frameTracks();
    private static final FrameAnalyticsSerde ANALYTICS = AvroSerdes.frameAnalytics();

    private final Deque<Long> recentCaptures = new ArrayDeque<>();
    private FrameTracks latestTracks;
    private FrameAnalytics latestAnalytics;

    public CameraStatus record(FrameTracks tracks, Duration rateSpan) {
        long capture = tracks.getCaptureTimestamp().toEpochMilli();
        frameAt(capture, rateSpan);
        if (latestTracks == null || capture >= latestTracks.getCaptureTimestamp().toEpochMilli()) latestTracks = tracks;
        return this;
    }

    public CameraStatus record(FrameAnalytics analytics, Duration rateSpan) {
        long capture = analytics.getCaptureTimestamp().toEpochMilli();
        frameAt(capture, rateSpan);
        if (latestAnalytics == null || capture >= latestAnalytics.getCaptureTimestamp().toEpochMilli()) {
            latestAnalytics = analytics;
        }
        return this;
    }

    private void frameAt(long captureMs, Duration rateSpan) {
        if (!recentCaptures.isEmpty() && captureMs <= recentCaptures.peekLast()) return;
        recentCaptures.addLast(captureMs);
        long oldest = captureMs - rateSpan.toMillis();
        while (recentCaptures.peekFirst() < oldest || recentCaptures.size() > MAX_RECENT_FRAMES) {
            recentCaptures.removeFirst();
        }
    }

    /** Capture time of the newest frame seen. */
    public Optional<Instant> lastFrameTime() {
        return recentCaptures.isEmpty() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(recentCaptures.peekLast()));
    }

    /** Frames per second of capture time over the recent span; 0 until two frames are known. */
    public double framesPerSecond() {
        if (recentCaptures.size() < 2) return 0;
        long spanMs = recentCaptures.peekLast() - recentCaptures.peekFirst();
        return (recentCaptures.size() - 1) * 1000.0 / spanMs;
    }

    /** Confirmed tracks in the newest frame (from its tracks, else from its analytics). */
    public int objectsNow() {
        boolean tracksNewest = latestTracks != null && (latestAnalytics == null
                || !latestTracks.getCaptureTimestamp().isBefore(latestAnalytics.getCaptureTimestamp()));
        if (tracksNewest) return latestTracks.getTracks().size();
        return latestAnalytics == null ? 0 : latestAnalytics.getObjects().size();
    }

    public Optional<FrameTracks> latestTracks() {
        return Optional.ofNullable(latestTracks);
    }

    public Optional<FrameAnalytics> latestAnalytics() {
        return Optional.ofNullable(latestAnalytics);
    }

    static void writeTo(CameraStatus status, DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeInt(status.recentCaptures.size());
        for (long capture : status.recentCaptures) out.writeLong(capture);
        writeBytes(out, TRACKS.serialize(null, status.latestTracks));
        writeBytes(out, ANALYTICS.serialize(null, status.latestAnalytics));
    }

    static CameraStatus readFrom(DataInput in, int length) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown camera status format version " + version + " (expected "
                    + FORMAT_VERSION + ")");
        }
        CameraStatus status = new CameraStatus();
        int recent = in.readInt();
        if (recent < 0 || recent > MAX_RECENT_FRAMES) {
            throw new IOException("recent frame count " + recent + " out of range 0.." + MAX_RECENT_FRAMES);
        }
        for (int i = 0; i < recent; i++) status.recentCaptures.addLast(in.readLong());
        status.latestTracks = TRACKS.deserialize(null, readBytes(in, length));
        status.latestAnalytics = ANALYTICS.deserialize(null, readBytes(in, length));
        return status;
    }

    private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInput in, int maxLength) throws IOException {
        int length = in.readInt();
        if (length == -1) return null;
        if (length < 0 || length > maxLength) throw new IOException("record length " + length + " out of range");
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
