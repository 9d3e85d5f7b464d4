package io.emostream.models.detection;

import io.emostream.models.image.FrameMapping;

import java.util.List;

/** Maps a box in model-input pixels to a {@link Detection} in the original frame (stretch or letterbox undone, clipped). */
final class DetectionMapper {
    private final List<String> labels;

    DetectionMapper(List<String> labels) {
        this.labels = labels == null ? List.of() : labels;
    }

    String label(int classId) {
        return classId >= 0 && classId < labels.size() ? labels.get(classId) : "class " + classId;
    }

    /** @return null when nothing of the box is left inside the frame */
    Detection map(FrameMapping m, int classId, float score, float x1, float y1, float x2, float y2) {
        float fx1 = m.toFrameX(x1);
        float fy1 = m.toFrameY(y1);
        float fx2 = m.toFrameX(x2);
        float fy2 = m.toFrameY(y2);
        if (fx2 <= fx1 || fy2 <= fy1) {
            return null;
        }
        float w = m.frameWidth();
        float h = m.frameHeight();
        return new Detection(classId, label(classId), score, fx1, fy1, fx2, fy2, fx1 / w, fy1 / h, fx2 / w, fy2 / h);
    }
}
