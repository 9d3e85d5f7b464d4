package io.emostream.processors.tracking;

import java.util.List;

/**
 * What the tracker says about one frame.
 *
 * @param tracks        confirmed tracks matched to a detection in the frame, in id order
 * @param endedTrackIds confirmed tracks that ended at the frame, in id order
 */
public record TrackerResult(List<TrackedBox> tracks, List<Long> endedTrackIds) { }
