/**
 * Zones, lines and occupancy per camera: the geometry of a camera's configuration and its one validator
 * ({@link io.emostream.processors.analytics.CameraGeometry#of}), line crossings and zone stays from tracks
 * ({@link io.emostream.processors.analytics.ZoneLineAnalyzer}), class shares from run-length masks
 * ({@link io.emostream.processors.analytics.MaskOccupancy}), all free of Kafka; and the processors that apply them to
 * frames joined with their camera's configuration, and check the records of the camera configuration topic, with
 * dead letters for what they cannot use. Depends on {@code schemas}, kafka-streams and {@code io.emostream.processors}.
 */
package io.emostream.processors.analytics;
