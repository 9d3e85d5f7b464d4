package io.emostream.cli.annotate;

import io.emostream.processors.tracking.Box;
import io.emostream.schemas.Detection;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.TrackedObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The track id of each detection of a frame. A tracks record lists the confirmed tracks matched in that frame with
 * their filtered boxes, not which detection each matched, so a detection takes the track of its class whose box
 * overlaps it most, at an IoU of at least {@value #MIN_IOU}.
 */
final class TrackIds {
    /** The tracker matches at IoU 0.2 or more against predicted boxes; its filtered box lies closer still. */
    static final double MIN_IOU = 0.3;

    private TrackIds() { }

    /** Per detection, in order, its track id or null. */
    static List<Long> of(List<Detection> detections, FrameTracks tracks) {
        List<Long> ids = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            Long best = null;
            double bestIou = MIN_IOU;
            if (tracks != null) {
                for (TrackedObject t : tracks.getTracks()) {
                    double iou = iou(d.getBox(), t.getBox());
                    if (t.getClassId() == d.getClassId() && iou >= bestIou) {
                        best = t.getTrackId();
                        bestIou = iou;
                    }
                }
            }
            ids.add(best);
        }
        return ids;
    }

    private static double iou(PixelBox a, PixelBox b) {
        return box(a).iou(box(b));
    }

    private static Box box(PixelBox b) {
        return new Box(b.getX1(), b.getY1(), b.getX2(), b.getY2());
    }
}
