package io.emostream.processors;

import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.image.DecodeReduction;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.image.ImageDecoder;
import io.emostream.models.image.ImageFormat;
import io.emostream.models.image.InvalidImageException;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.Predictor;
import io.emostream.models.runtime.SharedPredictor;
import io.emostream.models.segmentation.SegmentationResult;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs detection and segmentation on one serialized {@code VideoFrame} per {@link #process} call and forwards a
 * {@code FrameDetections}, a {@code FrameSegmentation} and/or {@code DeadLetter} records, keyed by camera id.
 *
 * <p>The value arrives as bytes and is deserialized here, so that a record that is not a frame still reaches the
 * dead-letter topic with its original bytes. The frame is decoded once and both models are called synchronously:
 * both requests are submitted before either is awaited, so they run side by side, and the shared batcher behind each
 * {@link Predictor} groups them with the requests of other stream threads and tasks. Nothing is held across calls,
 * so an input offset is committed only after every record it produced was handed downstream (docs/ARCHITECTURE.md,
 * "Nothing consumed is lost").
 *
 * <p>Each instance takes its own handle on each predictor in {@link #init} and releases it in {@link #close}, so a
 * shared model stays open while any processor runs, whatever else closes first (see {@link SharedPredictor#handleOn}).
 */
public final class FrameInferenceProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
    public static final String METRICS_SCOPE = "emostream";
    public static final String SKIPPED_TOO_OLD = "frames-skipped-too-old";
    public static final String DEAD_LETTERS = "dead-letters";

    private final Predictor<DetectionResult> sharedDetector;
    private final Predictor<SegmentationResult> sharedSegmenter;
    private final ProcessingSettings settings;
    private final ImageDecoder decoder;
    private final DecodeReduction reduction;
    private final DeadLetters deadLetters;
    private final FrameMetrics metrics;
    private final Deserializer<VideoFrame> frames = AvroSerdes.videoFrame().deserializer();

    private ProcessorContext<String, SpecificRecord> context;
    private Predictor<DetectionResult> detector; // this instance's handles, from init() to close()
    private Predictor<SegmentationResult> segmenter;
    private ModelInfo detectorInfo;
    private ModelInfo segmenterInfo;
    private Sensor skippedTooOld;
    private Sensor deadLettered;

    /** Either predictor may be null: that model is turned off. */
    public FrameInferenceProcessor(Predictor<DetectionResult> detector, Predictor<SegmentationResult> segmenter,
                            ProcessingSettings settings, FrameMetrics metrics) {
        this.sharedDetector = detector;
        this.metrics = metrics;
        this.sharedSegmenter = segmenter;
        this.settings = settings;
        this.decoder = new ImageDecoder(settings.imageLimits());
        this.reduction = reduction(detector, segmenter);
        this.deadLetters = new DeadLetters(settings.deadLetterMaxValueBytes());
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        String task = context.taskId().toString();
        skippedTooOld = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, SKIPPED_TOO_OLD,
                Sensor.RecordingLevel.INFO);
        deadLettered = context.metrics().addRateTotalSensor(METRICS_SCOPE, task, DEAD_LETTERS,
                Sensor.RecordingLevel.INFO);
        detector = sharedDetector == null ? null : SharedPredictor.handleOn(sharedDetector);
        try {
            segmenter = sharedSegmenter == null ? null : SharedPredictor.handleOn(sharedSegmenter);
        } catch (RuntimeException e) {
            if (detector != null) detector.close();
            throw e;
        }
        detectorInfo = detector == null ? null : ResultRecords.modelInfo(detector);
        segmenterInfo = segmenter == null ? null : ResultRecords.modelInfo(segmenter);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.processed();
        VideoFrame frame;
        try {
            frame = read(record.value());
        } catch (RuntimeException e) {
            deadLetter(record, FailureStage.DESERIALIZE, e);
            return;
        }
        if (tooOld(frame)) {
            skippedTooOld.record();
            metrics.skippedTooOld();
            return;
        }
        long start = System.nanoTime();
        float decodeMs;
        CompletableFuture<DetectionResult> detection;
        CompletableFuture<SegmentationResult> segmentation;
        try (DecodedImage image = decoder.decode(imageBytes(frame), ImageFormat.valueOf(frame.getEncoding().name()),
                frame.getWidth(), frame.getHeight(), reduction)) {
            decodeMs = (System.nanoTime() - start) / 1e6f;
            // Pre-processing happens inside submit, so the image may be closed once both have returned.
            detection = submit(detector, image);
            segmentation = submit(segmenter, image);
        } catch (InvalidImageException | RuntimeException e) {
            deadLetter(record, FailureStage.DECODE, e);
            return;
        }
        List<String> labels = segmenter == null ? null : segmenter.card().labels();
        emit(record, frame, FailureStage.DETECT, detector, detection,
                r -> ResultRecords.detections(frame, r, detectorInfo, decodeMs, context.currentSystemTimeMs()));
        emit(record, frame, FailureStage.SEGMENT, segmenter, segmentation,
                r -> ResultRecords.segmentation(frame, r, labels, segmenterInfo, decodeMs,
                        context.currentSystemTimeMs()));
    }

    @Override
    public void close() {
        if (detector != null) detector.close();
        if (segmenter != null) segmenter.close();
        if (context != null) {
            context.metrics().removeSensor(skippedTooOld);
            context.metrics().removeSensor(deadLettered);
        }
    }

    /** JPEGs decoded only as large as the models' inputs need; unknown inputs (a card without one): whole. */
    private static DecodeReduction reduction(Predictor<?>... predictors) {
        List<ModelCard.InputSpec> inputs = new ArrayList<>();
        for (Predictor<?> predictor : predictors) {
            if (predictor == null) continue;
            ModelCard.InputSpec input = predictor.card().input();
            if (input == null) return DecodeReduction.none();
            inputs.add(input);
        }
        return DecodeReduction.forInputs(inputs);
    }

    private VideoFrame read(byte[] value) {
        if (value == null) throw new SerializationException("the record has no value (null), not a VideoFrame");
        return frames.deserialize(null, value);
    }

    private boolean tooOld(VideoFrame frame) {
        long maxAge = settings.maxFrameAgeMs();
        return maxAge > 0 && context.currentSystemTimeMs() - frame.getCaptureTimestamp().toEpochMilli() > maxAge;
    }

    private static byte[] imageBytes(VideoFrame frame) {
        ByteBuffer buf = frame.getImage();
        if (buf.hasArray() && buf.arrayOffset() == 0 && buf.position() == 0 && buf.remaining() == buf.array().length) {
            return buf.array();
        }
        byte[] copy = new byte[buf.remaining()];
        buf.duplicate().get(copy);
        return copy;
    }

    private static <R> CompletableFuture<R> submit(Predictor<R> predictor, DecodedImage image) {
        if (predictor == null) return null;
        try {
            return predictor.submit(image);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Waits for one model's answer and forwards its result record, or a dead letter when it failed. */
    private <R> void emit(Record<byte[], byte[]> record, VideoFrame frame, FailureStage stage,
                          Predictor<R> predictor, CompletableFuture<R> pending, Function<R, SpecificRecord> toRecord) {
        if (pending == null) return;
        R result;
        try {
            result = pending.get(settings.resultTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } catch (TimeoutException e) {
            pending.cancel(false);
            deadLetter(record, stage, new InferenceException(InferenceException.Reason.TIMEOUT,
                    predictor.card().name() + " gave no answer within " + settings.resultTimeoutMs() + " ms"));
            return;
        } catch (ExecutionException e) {
            deadLetter(record, stage, e);
            return;
        }
        SpecificRecord out = toRecord.apply(result);
        context.forward(new Record<>(frame.getCameraId(), out, record.timestamp()));
        // the clock now, not the context's time, which Kafka Streams reads before the models ran
        metrics.result(stage == FailureStage.DETECT ? "detection" : "segmentation", frame.getCaptureTimestamp(),
                System.currentTimeMillis());
    }

    private void deadLetter(Record<byte[], byte[]> record, FailureStage stage, Throwable error) {
        deadLettered.record();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        DeadLetter letter = deadLetters.of(context.recordMetadata(), record, stage, error,
                context.currentSystemTimeMs());
        context.forward(new Record<>(key, letter, record.timestamp()));
        metrics.deadLetter(letter);
    }
}
