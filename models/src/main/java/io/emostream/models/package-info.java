/**
 * The models module's entry point: {@link io.emostream.models.Predictors} opens a detector or a segmenter per model
 * file, alone or shared JVM-wide, joining the task-agnostic {@code runtime} with the {@code detection} and
 * {@code segmentation} translators. Never Kafka.
 */
package io.emostream.models;
