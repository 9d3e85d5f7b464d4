package io.emostream.topology;

import io.emostream.models.detection.DetectionResult;
import io.emostream.processors.FrameInferenceProcessor;
import io.emostream.processors.ProcessingSettings;
import io.emostream.processors.ResultSerializer;
import io.emostream.models.runtime.ModelLoadException;
import io.emostream.models.runtime.Predictor;
import io.emostream.models.Predictors;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.models.segmentation.SegmentationResult;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The plugin: adds EMO detection and segmentation to a Kafka Streams topology in a few lines.
 *
 * <pre>{@code
 * StreamsBuilder builder = new StreamsBuilder();
 * EmoStreamConfig config = new EmoStreamConfig(props);
 * try (EmoStreams emo = EmoStreams.create(config)) {
 *     EmoStreams.Results results = emo.process(builder, config.topics().frames());
 *     results.to(config.topics());          // and/or use the streams: results.detections().filter(...)...
 *     KafkaStreams streams = new KafkaStreams(builder.build(), streamsProps);
 *     ...                                   // close streams and emo in either order
 * }
 * }</pre>
 *
 * Each processor instance holds its own handle on the shared models from its {@code init()} to its {@code close()},
 * so closing {@code EmoStreams} first only drops the creator's handle: the running processors keep answering frames
 * and the last of them to close closes the models.
 *
 * Frames are consumed as bytes and deserialized inside the processor, so records that are not frames reach the
 * dead-letter stream with their original bytes, topic, partition and offset. All result streams are keyed by camera
 * id; a dead letter is keyed by the original key.
 */
public final class EmoStreams implements AutoCloseable {
    private static final String PREFIX = "emostream-";
    private static final String DETECTIONS = "detections";
    private static final String SEGMENTATIONS = "segmentations";
    private static final String DEAD_LETTERS = "dead-letters";

    private final Predictor<DetectionResult> detector;
    private final Predictor<SegmentationResult> segmenter;
    private final ProcessingSettings settings;
    private final boolean ownsPredictors;

    private EmoStreams(Predictor<DetectionResult> detector, Predictor<SegmentationResult> segmenter,
                       ProcessingSettings settings, boolean ownsPredictors) {
        if (detector == null && segmenter == null) {
            throw new IllegalArgumentException("detection and segmentation are both turned off: nothing to do");
        }
        this.detector = detector;
        this.segmenter = segmenter;
        this.settings = settings;
        this.ownsPredictors = ownsPredictors;
    }

    /**
     * Opens the configured models (built-in names are built on first use) as JVM-wide shared predictors: every
     * stream thread and task, and every {@code EmoStreams} of this JVM using the same model file, feeds one batcher.
     * {@link #close()} releases them.
     */
    public static EmoStreams create(EmoStreamConfig config) throws ModelLoadException {
        if (!config.getBoolean(EmoStreamConfig.DETECTION_ENABLED)
                && !config.getBoolean(EmoStreamConfig.SEGMENTATION_ENABLED)) {
            throw new ConfigException(EmoStreamConfig.DETECTION_ENABLED + " and " + EmoStreamConfig.SEGMENTATION_ENABLED
                    + " are both false: nothing to do");
        }
        RuntimeConfig runtime = config.runtimeConfig();
        Predictor<DetectionResult> detector = null;
        try {
            if (config.getBoolean(EmoStreamConfig.DETECTION_ENABLED)) {
                detector = Predictors.sharedDetector(ModelFiles.resolve(config, EmoStreamConfig.DETECTION_MODEL),
                        runtime);
            }
            Predictor<SegmentationResult> segmenter = config.getBoolean(EmoStreamConfig.SEGMENTATION_ENABLED)
                    ? Predictors.sharedSegmenter(ModelFiles.resolve(config, EmoStreamConfig.SEGMENTATION_MODEL),
                    runtime)
                    : null;
            return owning(detector, segmenter, config.processingSettings());
        } catch (ModelLoadException | RuntimeException e) {
            if (detector != null) detector.close();
            throw e;
        }
    }

    /**
     * With handles this instance owns: {@link #close()} closes them. Each processor takes its own reference on a
     * {@link io.emostream.models.runtime.SharedPredictor}, so the model stays open while any processor runs.
     */
    static EmoStreams owning(Predictor<DetectionResult> detector, Predictor<SegmentationResult> segmenter,
                             ProcessingSettings settings) {
        return new EmoStreams(detector, segmenter, settings, true);
    }

    /**
     * With predictors the caller opened and keeps ownership of: a {@link io.emostream.models.runtime.SharedPredictor}
     * handle may be closed at any time (each processor holds its own reference); any other predictor must stay open
     * until the Kafka Streams instance is closed. Either may be null to turn that model off.
     */
    public static EmoStreams withPredictors(Predictor<DetectionResult> detector,
                                            Predictor<SegmentationResult> segmenter, ProcessingSettings settings) {
        return new EmoStreams(detector, segmenter, settings, false);
    }

    /** The models in use (one or two), for logging and reports. */
    public List<Predictor<?>> models() {
        return Stream.of(detector, segmenter).filter(Objects::nonNull).<Predictor<?>>map(p -> p).toList();
    }

    /** For the Processor API: forwards {@link FrameDetections}, {@link FrameSegmentation} and {@link DeadLetter}. */
    public ProcessorSupplier<byte[], byte[], String, SpecificRecord> processorSupplier() {
        return () -> new FrameInferenceProcessor(detector, segmenter, settings);
    }

    /** Consumes {@code framesTopic} (as bytes) into {@code builder} and adds the processors. */
    public Results process(StreamsBuilder builder, String framesTopic) {
        return process(builder.stream(framesTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                .withName(PREFIX + "frames")));
    }

    /** Adds the processors to a stream of serialized {@code VideoFrame} values. */
    public Results process(KStream<byte[], byte[]> frames) {
        Map<String, KStream<String, SpecificRecord>> branches = frames
                .process(processorSupplier(), Named.as(PREFIX + "inference"))
                .split(Named.as(PREFIX))
                .branch((k, v) -> v instanceof FrameDetections, Branched.as(DETECTIONS))
                .branch((k, v) -> v instanceof FrameSegmentation, Branched.as(SEGMENTATIONS))
                .branch((k, v) -> v instanceof DeadLetter, Branched.as(DEAD_LETTERS))
                .noDefaultBranch();
        return new Results(
                branches.get(PREFIX + DETECTIONS).mapValues(v -> (FrameDetections) v),
                branches.get(PREFIX + SEGMENTATIONS).mapValues(v -> (FrameSegmentation) v),
                branches.get(PREFIX + DEAD_LETTERS).mapValues(v -> (DeadLetter) v));
    }

    /**
     * For the Processor API: adds the frame processor as a child of {@code parentNames} (which must forward the
     * serialized frames as {@code byte[]} keys and values) and one sink writing each result to its topic.
     */
    public Topology addTo(Topology topology, Topics topics, String... parentNames) {
        TopicNameExtractor<String, SpecificRecord> topicOf = (key, value, context) ->
                value instanceof FrameDetections ? topics.detections()
                        : value instanceof FrameSegmentation ? topics.segmentations() : topics.deadLetters();
        return topology
                .addProcessor(PREFIX + "inference", processorSupplier(), parentNames)
                .addSink(PREFIX + "results", topicOf, new StringSerializer(), new ResultSerializer(),
                        PREFIX + "inference");
    }

    /**
     * Releases this instance's handles on the models it opened; running processors hold their own, so this may come
     * before or after closing Kafka Streams.
     */
    @Override
    public void close() {
        if (!ownsPredictors) return;
        if (detector != null) detector.close();
        if (segmenter != null) segmenter.close();
    }

    /** The result streams, keyed by camera id (dead letters by their original key). */
    public record Results(KStream<String, FrameDetections> detections,
                          KStream<String, FrameSegmentation> segmentations,
                          KStream<String, DeadLetter> deadLetters) {
        /** Writes each stream to its topic with the project's Avro serdes. */
        public void to(Topics topics) {
            detections.to(topics.detections(), Produced.with(Serdes.String(), AvroSerdes.frameDetections()));
            segmentations.to(topics.segmentations(), Produced.with(Serdes.String(), AvroSerdes.frameSegmentation()));
            deadLetters.to(topics.deadLetters(), Produced.with(Serdes.String(), AvroSerdes.deadLetter()));
        }
    }
}
