package io.emostream.models.detection;

import io.emostream.models.runtime.StageTimings;

import java.util.List;

/** Detections of one frame, best score first. */
public record DetectionResult(List<Detection> detections, StageTimings timings) { }
