/**
 * The generic runtime: ONNX Runtime sessions on the chosen execution provider, pre-processing, the dynamic batcher
 * shared by all callers of a model, timings and errors. Task-specific code does not belong here: the detection and
 * segmentation translators build on this package, not the reverse. Depends on {@code card} and {@code image}; never
 * Kafka.
 */
package io.emostream.models.runtime;
