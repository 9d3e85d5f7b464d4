package io.emostream.processors.tracking;

import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.TrackedObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The records around a {@link Tracker}: a frame's detections as the tracker's observations, and the tracker's answer
 * as the frame's {@code FrameTracks}. Free of Kafka.
 */
public final class TrackRecords {
    private TrackRecords() { }

    public static List<Observation> observations(FrameDetections frame) {
        List<Observation> observations = new ArrayList<>(frame.getDetections().size());
        for (Detection d : frame.getDetections()) {
            PixelBox b = d.getBox();
            observations.add(new Observation(d.getClassId(), d.getLabel(), d.getScore(),
                    new Box(b.getX1(), b.getY1(), b.getX2(), b.getY2())));
        }
        return observations;
    }

    /** The tracks of {@code frame}, with its camera, sequence, capture time, size and model. */
    public static FrameTracks frameTracks(FrameDetections frame, TrackerResult result) {
        int width = frame.getFrameWidth();
        int height = frame.getFrameHeight();
        List<TrackedObject> tracks = new ArrayList<>(result.tracks().size());
        for (TrackedBox t : result.tracks()) {
            Box b = t.box();
            tracks.add(TrackedObject.newBuilder()
                    .setTrackId(t.trackId())
                    .setClassId(t.classId())
                    .setLabel(t.label())
                    .setScore(t.score())
                    // The filtered box may overshoot the frame a little; results stay inside it, like detections.
                    .setBox(new PixelBox(clip(b.x1(), width), clip(b.y1(), height), clip(b.x2(), width),
                            clip(b.y2(), height)))
                    .setAgeMs(t.ageMs())
                    .setHits(t.hits())
                    .setVelocityX((float) t.velocityX())
                    .setVelocityY((float) t.velocityY())
                    .build());
        }
        return FrameTracks.newBuilder()
                .setCameraId(frame.getCameraId())
                .setSequence(frame.getSequence())
                .setCaptureTimestamp(frame.getCaptureTimestamp())
                .setFrameWidth(width)
                .setFrameHeight(height)
                .setModel(frame.getModel())
                .setTracks(tracks)
                .setEndedTrackIds(result.endedTrackIds())
                .build();
    }

    private static float clip(double value, int max) {
        return (float) Math.min(Math.max(value, 0), max);
    }
}
