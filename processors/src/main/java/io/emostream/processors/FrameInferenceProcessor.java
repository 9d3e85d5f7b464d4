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
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.StoreBuilder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * dead-letter topic with its original bytes. The frame is decoded once and both requests are submitted before either
 * is awaited, so they run side by side, and the shared batcher behind each {@link Predictor} groups them with the
 * requests of other stream threads and tasks. With {@code inFlightMax} 1 (the default) both are awaited within the
 * call and nothing is held across calls, so an input offset is committed only after every record it produced was
 * handed downstream (docs/ARCHITECTURE.md, "Nothing consumed is lost"). Above 1, an {@link InFlightWindow} keeps up
 * to that many frames in flight and forwards their results in input order, from {@code process()}, from a short
 * wall-clock punctuator, and from its {@link InFlightDrain} before each commit.
 *
 * <p>Each instance takes its own handle on each predictor in {@link #init} and releases it in {@link #close}, so a
 * shared model stays open while any processor runs, whatever else closes first (see {@link SharedPredictor#handleOn}).
 */
public final class FrameInferenceProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
    public static final String METRICS_SCOPE = "emostream";
    public static final String SKIPPED_TOO_OLD = "frames-skipped-too-old";
    public static final String DEAD_LETTERS = "dead-letters";
    /** How often answered frames at the head of a window are forwarded when no new frame comes to do it. */
    private static final Duration FORWARD_ANSWERED_EVERY = Duration.ofMillis(10);

    private final Predictor<DetectionResult> sharedDetector;
    private final Predictor<SegmentationResult> sharedSegmenter;
    private final ProcessingSettings settings;
    private final ImageDecoder decoder;
    private final DecodeReduction reduction;
    private final DeadLetters deadLetters;
    private final FrameMetrics metrics;
    private final Deserializer<VideoFrame> frames = AvroSerdes.videoFrame().deserializer();
    private final String drainStore;

    private ProcessorContext<String, SpecificRecord> context;
    private Predictor<DetectionResult> detector; // this instance's handles, from init() to close()
    private Predictor<SegmentationResult> segmenter;
    private ModelInfo detectorInfo;
    private ModelInfo segmenterInfo;
    private Sensor skippedTooOld;
    private Sensor deadLettered;
    private InFlightWindow window; // null: one frame at a time

    /**
     * Either predictor may be null: that model is turned off. With {@code settings.inFlightMax()} above 1 the
     * processor needs its {@link InFlightDrain} store, which {@link #supplier} connects.
     */
    private FrameInferenceProcessor(Predictor<DetectionResult> detector, Predictor<SegmentationResult> segmenter,
                                    ProcessingSettings settings, FrameMetrics metrics, String drainStore) {
        this.sharedDetector = detector;
        this.drainStore = drainStore;
        this.metrics = metrics;
        this.sharedSegmenter = segmenter;
        this.settings = settings;
        this.decoder = new ImageDecoder(settings.imageLimits());
        this.reduction = reduction(detector, segmenter);
        this.deadLetters = new DeadLetters(settings.deadLetterMaxValueBytes());
    }

    /**
     * The processors of one pipeline; with more than one frame in flight per task, each task also gets the drain
     * store {@code <pipeline>-inflight}. Either predictor may be null: that model is turned off.
     */
    public static ProcessorSupplier<byte[], byte[], String, SpecificRecord> supplier(
            Predictor<DetectionResult> detector, Predictor<SegmentationResult> segmenter, ProcessingSettings settings,
            FrameMetrics metrics, String pipeline) {
        String drainStore = settings.inFlightMax() > 1 ? pipeline + "-inflight" : null;
        return new ProcessorSupplier<>() {
            @Override
            public Processor<byte[], byte[], String, SpecificRecord> get() {
                return new FrameInferenceProcessor(detector, segmenter, settings, metrics, drainStore);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return drainStore == null ? null : Set.of(InFlightDrain.builder(drainStore));
            }
        };
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
        if (drainStore != null) {
            InFlightDrain drain = context.getStateStore(drainStore);
            window = new InFlightWindow(settings.inFlightMax(), drain, this::answer);
            drain.attach(context, window);
            context.schedule(FORWARD_ANSWERED_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> window.forwardAnswered());
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.processed();
        InFlightFrame frame = submit(record, context.recordMetadata());
        if (frame == null) return;
        if (window == null) {
            answer(frame);
        } else {
            window.add(frame);
        }
    }

    @Override
    public void close() {
        if (window != null) window.dropAll("the task closed without a commit after them");
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

    private static <R> CompletableFuture<R> request(Predictor<R> predictor, DecodedImage image) {
        if (predictor == null) return null;
        try {
            return predictor.submit(image);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Reads and decodes the frame and submits it to the models; null when it is skipped as too old. A record that
     * fails before its requests are queued comes back failed, to be dead-lettered in its turn.
     */
    private InFlightFrame submit(Record<byte[], byte[]> record, Optional<RecordMetadata> source) {
        VideoFrame frame;
        try {
            frame = read(record.value());
        } catch (RuntimeException e) {
            return InFlightFrame.failed(record, source, FailureStage.DESERIALIZE, e);
        }
        if (tooOld(frame)) {
            skippedTooOld.record();
            metrics.skippedTooOld();
            return null;
        }
        long start = System.nanoTime();
        try (DecodedImage image = decoder.decode(imageBytes(frame), ImageFormat.valueOf(frame.getEncoding().name()),
                frame.getWidth(), frame.getHeight(), reduction)) {
            float decodeMs = (System.nanoTime() - start) / 1e6f;
            // Pre-processing happens inside submit, so the image may be closed once both have returned.
            return InFlightFrame.submitted(record, source, frame, decodeMs, request(detector, image),
                    request(segmenter, image));
        } catch (InvalidImageException | RuntimeException e) {
            return InFlightFrame.failed(record, source, FailureStage.DECODE, e);
        }
    }

    /** Waits for the frame's answers and forwards its result records, or its dead letters. */
    private void answer(InFlightFrame f) {
        if (f.failure() != null) {
            deadLetter(f, f.failedStage(), f.failure());
            return;
        }
        VideoFrame frame = f.frame();
        List<String> labels = segmenter == null ? null : segmenter.card().labels();
        emit(f, FailureStage.DETECT, detector, f.detection(),
                r -> ResultRecords.detections(frame, r, detectorInfo, f.decodeMs(), context.currentSystemTimeMs()));
        emit(f, FailureStage.SEGMENT, segmenter, f.segmentation(),
                r -> ResultRecords.segmentation(frame, r, labels, segmenterInfo, f.decodeMs(),
                        context.currentSystemTimeMs()));
    }

    /** Waits for one model's answer and forwards its result record, or a dead letter when it failed. */
    private <R> void emit(InFlightFrame f, FailureStage stage, Predictor<R> predictor, CompletableFuture<R> pending,
                          Function<R, SpecificRecord> toRecord) {
        if (pending == null) return;
        R result;
        try {
            result = pending.get(settings.resultTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } catch (TimeoutException e) {
            pending.cancel(false);
            deadLetter(f, stage, new InferenceException(InferenceException.Reason.TIMEOUT,
                    predictor.card().name() + " gave no answer within " + settings.resultTimeoutMs() + " ms"));
            return;
        } catch (ExecutionException e) {
            deadLetter(f, stage, e);
            return;
        }
        SpecificRecord out = toRecord.apply(result);
        context.forward(new Record<>(f.frame().getCameraId(), out, f.record().timestamp()));
        // the clock now, not the context's time, which Kafka Streams reads before the models ran
        metrics.result(stage == FailureStage.DETECT ? "detection" : "segmentation", f.frame().getCaptureTimestamp(),
                System.currentTimeMillis());
    }

    private void deadLetter(InFlightFrame f, FailureStage stage, Throwable error) {
        deadLettered.record();
        Record<byte[], byte[]> record = f.record();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        DeadLetter letter = deadLetters.of(f.source(), record, stage, error, context.currentSystemTimeMs());
        context.forward(new Record<>(key, letter, record.timestamp()));
        metrics.deadLetter(letter);
    }
}
