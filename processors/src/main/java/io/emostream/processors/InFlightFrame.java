package io.emostream.processors;

import io.emostream.models.detection.DetectionResult;
import io.emostream.models.segmentation.SegmentationResult;
import io.emostream.schemas.VideoFrame;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One input record between its {@code process()} call and its results: either submitted to the models (a future per
 * model in use, null for a model turned off) or already failed (the stage and the error of its dead letter).
 *
 * @param source where the record came from, kept for its dead letter and its results' record context
 */
record InFlightFrame(Record<byte[], byte[]> record, Optional<RecordMetadata> source, VideoFrame frame,
                     float decodeMs, CompletableFuture<DetectionResult> detection,
                     CompletableFuture<SegmentationResult> segmentation, FailureStage failedStage,
                     Throwable failure) {

    static InFlightFrame submitted(Record<byte[], byte[]> record, Optional<RecordMetadata> source, VideoFrame frame,
                                   float decodeMs, CompletableFuture<DetectionResult> detection,
                                   CompletableFuture<SegmentationResult> segmentation) {
        return new InFlightFrame(record, source, frame, decodeMs, detection, segmentation, null, null);
    }

    static InFlightFrame failed(Record<byte[], byte[]> record, Optional<RecordMetadata> source, FailureStage stage,
                                Throwable error) {
        return new InFlightFrame(record, source, null, 0, null, null, stage, error);
    }

    /** Whether its results can be forwarded without waiting. */
    boolean done() {
        return failure != null || (isDone(detection) && isDone(segmentation));
    }

    /** Tells the batcher that nobody waits for these answers any more. */
    void cancel() {
        if (detection != null) detection.cancel(false);
        if (segmentation != null) segmentation.cancel(false);
    }

    private static boolean isDone(CompletableFuture<?> future) {
        return future == null || future.isDone();
    }
}
