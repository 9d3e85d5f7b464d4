package io.emostream.models.segmentation;

/** A class present in a label map and its share of the pixels (0..1). */
public record ClassShare(int classId, String label, float fraction) { }
