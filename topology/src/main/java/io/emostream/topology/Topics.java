package io.emostream.topology;

/** The topic names of one emostream application. */
public record Topics(String frames, String detections, String segmentations, String deadLetters) { }
