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

    /**
     * Runs the model once at each batch size it will see, so that the first frames do not pay for what a first call
     * at a new shape costs (started on the first call, the same future after); completes exceptionally with an
     * {@link InferenceException} when a call fails. Predictors without a session have nothing to warm up.
     */
    default CompletableFuture<Void> warmUp() {
        return CompletableFuture.completedFuture(null);
    }

    /** The shared batcher's counters (batch sizes, queue wait, run time). */
    default BatcherMetrics metrics() {
        return BatcherMetrics.EMPTY;
    }

    @Override
    void close();
}
