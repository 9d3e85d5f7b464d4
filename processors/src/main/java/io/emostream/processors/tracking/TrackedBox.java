package io.emostream.processors.tracking;

/**
 * A confirmed track as seen in one frame.
 *
 * @param score     score of the detection matched in this frame
 * @param box       the filtered box (for a late frame, the detection's own box)
 * @param ageMs     capture time since the track started
 * @param hits      frames in which the track was matched
 * @param velocityX box centre velocity, pixels per second
 * @param velocityY box centre velocity, pixels per second
 */
public record TrackedBox(long trackId, int classId, String label, float score, Box box, long ageMs, int hits,
                         double velocityX, double velocityY) { }
