package io.emostream.processors.tracking;

/** One detection in a frame, as the tracker sees it. */
public record Observation(int classId, String label, float score, Box box) { }
