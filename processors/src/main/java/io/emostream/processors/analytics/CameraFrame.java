package io.emostream.processors.analytics;

import io.emostream.schemas.CameraConfig;

/**
 * A frame's record joined with its camera's zones and lines, as the topology's join with the camera configuration
 * table hands it to the zone processors.
 *
 * @param config null when the camera has none: no zones, no lines
 */
public record CameraFrame<V>(V frame, CameraConfig config) { }
