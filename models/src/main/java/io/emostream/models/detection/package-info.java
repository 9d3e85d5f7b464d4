/**
 * The detection translator: SSD anchors and box decoding, class-aware NMS, the post-NMS output contract, and boxes
 * mapped back to the frame. Builds on {@code runtime}, {@code image} and {@code card}; never Kafka.
 */
package io.emostream.models.detection;
