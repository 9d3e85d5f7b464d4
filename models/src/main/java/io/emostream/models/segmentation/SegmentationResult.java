package io.emostream.models.segmentation;

import io.emostream.models.runtime.StageTimings;

import java.util.List;

/**
 * The label map of one frame at the configured output size, run-length encoded row-major:
 * {@code classIds[i]} repeated {@code runLengths[i]} times. {@code shares} lists the classes present, largest first.
 */
public record SegmentationResult(int maskWidth, int maskHeight, int[] classIds, int[] runLengths,
                                 List<ClassShare> shares, StageTimings timings) { }
