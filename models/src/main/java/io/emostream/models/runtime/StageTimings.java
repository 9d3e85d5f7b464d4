package io.emostream.models.runtime;

/**
 * Where one request's time went, in milliseconds.
 *
 * @param preprocessMs  resize, colour conversion and normalisation on the caller's thread
 * @param queueMs       wait in the batcher until its batch started
 * @param inferenceMs   the session call for the whole batch
 * @param postprocessMs decoding this request's outputs
 * @param batchSize     size of the batch this request ran in
 */
public record StageTimings(float preprocessMs, float queueMs, float inferenceMs, float postprocessMs, int batchSize) { }
