package io.emostream.cli.annotate;

import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.ModelInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the topics hold for one frame: its detections, segmentation and tracks (the latest of each, should one have
 * been written twice) and the dead letters of its models. Any of them may be missing.
 */
final class FrameResults {
    static final FrameResults NONE = new FrameResults();

    FrameDetections detections;
    FrameSegmentation segmentation;
    FrameTracks tracks;
    final List<DeadLetter> deadLetters = new ArrayList<>();

    /** Whether a model answered the frame, with a result or a dead letter. */
    boolean answered() {
        return detections != null || segmentation != null || !deadLetters.isEmpty();
    }

    /** The models whose results this frame has. */
    List<ModelInfo> models() {
        return Stream.of(detections == null ? null : detections.getModel(),
                segmentation == null ? null : segmentation.getModel()).filter(m -> m != null).toList();
    }

    /** This frame's results plus the dead letters of {@code letters}. */
    FrameResults withDeadLetters(List<DeadLetter> letters) {
        if (letters.isEmpty()) return this;
        FrameResults merged = new FrameResults();
        merged.detections = detections;
        merged.segmentation = segmentation;
        merged.tracks = tracks;
        merged.deadLetters.addAll(deadLetters);
        merged.deadLetters.addAll(letters);
        return merged;
    }
}
