/**
 * Per-camera object tracking in the manner of SORT and ByteTrack: a constant-velocity Kalman filter per box,
 * predicted over capture time so that gaps in the input are bridged; two-stage IoU matching of detections of the same
 * class (Hungarian); tentative, confirmed and ended tracks. {@link io.emostream.processors.tracking.Tracker} and its
 * parts are plain Java; {@link io.emostream.processors.tracking.TrackingProcessor} runs one tracker per camera with
 * its state in a changelogged store, so track ids survive a failover. Depends on {@code schemas}, kafka-streams and
 * {@code io.emostream.processors}.
 */
package io.emostream.processors.tracking;
