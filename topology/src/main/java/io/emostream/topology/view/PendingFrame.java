package io.emostream.topology.view;

import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.VideoFrame;

/** A frame kept for the live page and the results that have arrived for it so far. */
final class PendingFrame {
    final VideoFrame frame;
    FrameDetections detections;
    FrameTracks tracks;
    FrameAnalytics analytics;
    FrameSegmentation segmentation;

    PendingFrame(VideoFrame frame) {
        this.frame = frame;
    }

    /** Whether every result the topology gives a frame is here. */
    boolean complete(ExpectedResults expected) {
        return (!expected.detections() || detections != null) && (!expected.tracks() || tracks != null)
                && (!expected.analytics() || analytics != null)
                && (!expected.segmentation() || segmentation != null);
    }

    /** The results the topology gives each frame, by what is turned on. */
    record ExpectedResults(boolean detections, boolean tracks, boolean analytics, boolean segmentation) { }
}
