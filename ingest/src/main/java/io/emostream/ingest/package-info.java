/**
 * Cameras and video files to Kafka: FFmpeg sources (JavaCV), sampling, resizing and encoding, and a producer that
 * publishes {@code VideoFrame} records keyed by camera id. Depends on {@code schemas}, JavaCV and kafka-clients.
 */
package io.emostream.ingest;
