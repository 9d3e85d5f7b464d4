package io.emostream.models.runtime;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.DecodedImage;

import java.util.concurrent.CompletableFuture;

/**
 * Runs one model on one image at a time from the caller's point of view, while a shared dynamic batcher groups
 * concurrent requests into batches behind it. Pre-processing runs on the caller's thread inside {@link #submit};
 * the future completes once the batch has run and this request's outputs are post-processed. Every future
 * completes (normally, or with an {@link InferenceException}) within the configured request timeout.
 *
 * @param <R> the result type: {@code DetectionResult}, {@code SegmentationResult}, ...
 */
public interface Predictor<R> extends AutoCloseable {
    ModelCard card();

    /** The ONNX Runtime execution provider in use: {@code cuda}, {@code tensorrt} or {@code cpu}. */
    String executionProvider();

    /** Pre-processes the image now (the caller may close it once this returns) and queues it for the batcher. */
    CompletableFuture<R> submit(DecodedImage image);

    /** {@link #submit} and wait; the wait is bounded by the request timeout. */
    R predict(DecodedImage image) throws InferenceException;

    /** The shared batcher's counters (batch sizes, queue wait, run time). */
    default BatcherMetrics metrics() {
        return BatcherMetrics.EMPTY;
    }

    @Override
    void close();
}
