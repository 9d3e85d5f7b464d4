package io.emostream.models.detection;

/**
 * One detected object. Pixel corners are in the original frame, clipped to it; normalised corners are those
 * divided by the frame width and height.
 */
public record Detection(int classId, String label, float score,
                        float x1, float y1, float x2, float y2,
                        float nx1, float ny1, float nx2, float ny2) { }
