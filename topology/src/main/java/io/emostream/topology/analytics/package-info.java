/**
 * Adds the camera analytics to a topology after the plugin's detection and segmentation streams:
 * {@link io.emostream.topology.analytics.CameraAnalytics} composes tracking, zones and lines, occupancy, windowed
 * statistics and the camera status, each also usable alone; each part defines its configuration keys. The cameras
 * file is read here ({@link io.emostream.topology.analytics.CameraConfigFile}). Depends on {@code processors} and
 * below, kafka-streams and SnakeYAML.
 */
package io.emostream.topology.analytics;
