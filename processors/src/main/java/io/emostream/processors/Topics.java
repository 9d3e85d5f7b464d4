package io.emostream.processors;

/** The topic names of one emostream application. */
public record Topics(String frames, String detections, String segmentations, String deadLetters) { }
