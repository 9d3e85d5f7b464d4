package io.emostream.topology;

import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.Detection;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.fixtures.StandInPredictor;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.runtime.BatcherMetrics;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.StageTimings;
import io.emostream.models.segmentation.ClassShare;
import io.emostream.models.segmentation.SegmentationResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A test double for the inference runtime, for topology-logic tests only: answers from the decoded image's size,
 * so a test can see that the processor decoded the frame it was given.
 */
final class FakePredictor<R> extends StandInPredictor<R> {
    static final StageTimings TIMINGS = new StageTimings(1.5f, 2f, 3f, 0.5f, 1);

    private final Function<DecodedImage, R> answer;
    private final AtomicInteger submitted = new AtomicInteger();
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile BatcherMetrics metrics = BatcherMetrics.EMPTY;

    private FakePredictor(ModelCard card, Function<DecodedImage, R> answer) {
        super(card);
        this.answer = answer;
    }

    /** One box covering the whole frame, labelled "person". */
    static FakePredictor<DetectionResult> detector() {
        return new FakePredictor<>(card("fake-ssd", ModelCard.Task.DETECTION, List.of("person", "car")),
                image -> new DetectionResult(List.of(new Detection(0, "person", 0.9f,
                        0, 0, image.width(), image.height(), 0, 0, 1, 1)), TIMINGS));
    }

    /** A 4x2 mask: the top row background, the bottom row "road". */
    static FakePredictor<SegmentationResult> segmenter() {
        return new FakePredictor<>(card("fake-deeplab", ModelCard.Task.SEGMENTATION, List.of("background", "road")),
                image -> new SegmentationResult(4, 2, new int[]{0, 1}, new int[]{4, 4},
                        List.of(new ClassShare(0, "background", 0.5f), new ClassShare(1, "road", 0.5f)), TIMINGS));
    }

    /** Every later request fails with an {@link InferenceException} (a model error) carrying this message. */
    void failWith(String message) {
        failWith(new InferenceException(InferenceException.Reason.MODEL_ERROR, message));
    }

    /** Every later request fails with this. */
    void failWith(Throwable failure) {
        this.failure = failure;
    }

    /** What {@link #metrics()} reports from now on, as a batcher would. */
    void reportMetrics(BatcherMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public BatcherMetrics metrics() {
        return metrics;
    }

    int submitted() {
        return submitted.get();
    }

    boolean closed() {
        return closed;
    }

    @Override
    public CompletableFuture<R> submit(DecodedImage image) {
        if (closed) throw new IllegalStateException(card().name() + " is closed");
        submitted.incrementAndGet();
        Throwable failed = failure;
        if (failed != null) return CompletableFuture.failedFuture(failed);
        return CompletableFuture.completedFuture(answer.apply(image));
    }

    @Override
    public R predict(DecodedImage image) throws InferenceException {
        try {
            return submit(image).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new InferenceException(InferenceException.Reason.MODEL_ERROR, e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
