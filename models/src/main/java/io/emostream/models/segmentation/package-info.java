/**
 * The segmentation translator: logits or label maps to a run-length encoded mask of the frame with each class's
 * share. Builds on {@code runtime}, {@code image} and {@code card}; never Kafka.
 */
package io.emostream.models.segmentation;
