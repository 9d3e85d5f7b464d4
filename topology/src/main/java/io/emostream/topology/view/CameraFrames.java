package io.emostream.topology.view;

import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.LineCrossing;
import io.emostream.schemas.VideoFrame;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One camera's join of sampled frames with their results, by sequence number: at most {@link #CAPACITY} frames
 * wait, and a frame whose results never all come (a model's dead letter) is pushed out by newer ones. Also the
 * camera's line crossings counted from every frame since the view started, sampled or not.
 */
final class CameraFrames {
    /** Results come on the stream thread right after their frame, so a few waiting frames are plenty. */
    static final int CAPACITY = 4;

    private final Map<Long, PendingFrame> waiting = new LinkedHashMap<>();
    private final Map<String, long[]> crossings = new TreeMap<>();

    synchronized void add(VideoFrame frame) {
        waiting.put(frame.getSequence(), new PendingFrame(frame));
        Iterator<Long> oldest = waiting.keySet().iterator();
        while (waiting.size() > CAPACITY) {
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * Adds a result to its frame when the frame waits here; returns the frame when that made it complete (it then
     * leaves the join), else null.
     */
    synchronized PendingFrame attach(long sequence, Consumer<PendingFrame> result,
                                     PendingFrame.ExpectedResults expected) {
        PendingFrame frame = waiting.get(sequence);
        if (frame == null) return null;
        result.accept(frame);
        if (!frame.complete(expected)) return null;
        waiting.remove(sequence);
        return frame;
    }

    synchronized void count(FrameAnalytics analytics) {
        for (LineCrossing c : analytics.getCrossings()) {
            crossings.computeIfAbsent(c.getLineId(), id -> new long[2])[c.getDirection() == CrossingDirection.IN
                    ? 0 : 1]++;
        }
    }

    /** Per line, crossings {in, out} since the view started. */
    synchronized Map<String, long[]> crossings() {
        Map<String, long[]> copy = new TreeMap<>();
        crossings.forEach((line, inOut) -> copy.put(line, inOut.clone()));
        return copy;
    }
}
