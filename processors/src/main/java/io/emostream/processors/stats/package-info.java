/**
 * Per-camera statistics: the running totals of one window ({@link io.emostream.processors.stats.WindowStats}), the
 * camera's current status for the query API ({@link io.emostream.processors.stats.CameraStatus}) and the processor
 * that keeps it, their state-store Serdes, and the processor that stamps records with their capture time so that
 * windows follow when frames were taken. Depends on {@code schemas} and kafka-streams.
 */
package io.emostream.processors.stats;
