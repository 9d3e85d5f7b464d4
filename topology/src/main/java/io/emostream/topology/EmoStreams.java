package io.emostream.topology;

import io.emostream.models.detection.DetectionResult;
import io.emostream.processors.FrameInferenceProcessor;
import io.emostream.processors.FrameMetrics;
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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
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
import java.util.concurrent.CompletableFuture;
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
 *
 * <p>The nodes it adds are named {@code emostream-frames}, {@code emostream-inference}, ...; the overloads taking
 * a {@link Named} replace the {@code emostream} part, so that several instances (camera groups on different models)
 * can share one topology: {@code emo.process(builder, "lobby-frames", Named.as("lobby"))}.
 */
public final class EmoStreams implements AutoCloseable {
    /** The name {@link #process} and {@link #addTo} give their nodes unless told otherwise. */
    public static final String DEFAULT_NAME = "emostream";
    private static final String DETECTIONS = "detections";
    private static final String SEGMENTATIONS = "segmentations";
    private static final String DEAD_LETTERS = "dead-letters";

    private final Predictor<DetectionResult> detector;
    private final Predictor<SegmentationResult> segmenter;
    private final ProcessingSettings settings;
    private final MeterRegistry registry;
    private final boolean ownsPredictors;

    private EmoStreams(Predictor<DetectionResult> detector, Predictor<SegmentationResult> segmenter,
                       ProcessingSettings settings, MeterRegistry registry, boolean ownsPredictors) {
        if (detector == null && segmenter == null) {
            throw new IllegalArgumentException("detection and segmentation are both turned off: nothing to do");
        }
        this.detector = detector;
        this.segmenter = segmenter;
        this.settings = settings;
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.ownsPredictors = ownsPredictors;
    }

    /**
     * Opens the configured models (built-in names are built on first use) as JVM-wide shared predictors: every
     * stream thread and task, and every {@code EmoStreams} of this JVM using the same model file, feeds one batcher.
     * {@link #close()} releases them.
     *
     * @throws NullPointerException if {@code config} is null
     * @throws ConfigException if detection and segmentation are both turned off
     * @throws ModelLoadException if a model cannot be found, built or opened (the message names the setting)
     */
    public static EmoStreams create(EmoStreamConfig config) throws ModelLoadException {
        return create(config, Metrics.globalRegistry);
    }

    /**
     * As {@link #create(EmoStreamConfig)}, the processors' meters (frames, dead letters, latency) going to
     * {@code registry} rather than Micrometer's global registry.
     */
    public static EmoStreams create(EmoStreamConfig config, MeterRegistry registry) throws ModelLoadException {
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(registry, "registry must not be null");
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
            return new EmoStreams(detector, segmenter, config.processingSettings(), registry, true);
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
        return new EmoStreams(detector, segmenter, settings, Metrics.globalRegistry, true);
    }

    /**
     * With predictors the caller opened and keeps ownership of: a {@link io.emostream.models.runtime.SharedPredictor}
     * handle may be closed at any time (each processor holds its own reference); any other predictor must stay open
     * until the Kafka Streams instance is closed. Either may be null to turn that model off.
     *
     * @throws NullPointerException if {@code settings} is null
     * @throws IllegalArgumentException if both predictors are null
     */
    public static EmoStreams withPredictors(Predictor<DetectionResult> detector,
                                            Predictor<SegmentationResult> segmenter, ProcessingSettings settings) {
        return withPredictors(detector, segmenter, settings, Metrics.globalRegistry);
    }

    /** As {@link #withPredictors(Predictor, Predictor, ProcessingSettings)}, the meters going to {@code registry}. */
    public static EmoStreams withPredictors(Predictor<DetectionResult> detector,
                                            Predictor<SegmentationResult> segmenter, ProcessingSettings settings,
                                            MeterRegistry registry) {
        Objects.requireNonNull(settings, "settings must not be null");
        return new EmoStreams(detector, segmenter, settings, registry, false);
    }

    /** The registry its processors count into; the camera analytics' meters belong there too. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The models in use (one or two), for logging and reports. */
    public List<Predictor<?>> models() {
        return Stream.of(detector, segmenter).filter(Objects::nonNull).<Predictor<?>>map(p -> p).toList();
    }

    /**
     * Warms up every model in use ({@link Predictor#warmUp}: one session call at each batch size it will see); start
     * Kafka Streams once it completes, so that the first frames do not pay for it. The run application does.
     */
    public CompletableFuture<Void> warmUp() {
        return CompletableFuture.allOf(models().stream().map(Predictor::warmUp).toArray(CompletableFuture[]::new));
    }

    /**
     * For the Processor API: forwards {@link FrameDetections}, {@link FrameSegmentation} and {@link DeadLetter}. Its
     * meters carry the pipeline tag {@value #DEFAULT_NAME}.
     */
    public ProcessorSupplier<byte[], byte[], String, SpecificRecord> processorSupplier() {
        return processorSupplier(DEFAULT_NAME);
    }

    /**
     * The meters registered here, tagged {@code pipeline=<name>}, count for every task's processor together. With
     * more than one frame in flight per task, the supplier brings the store {@code <name>-inflight}.
     */
    private ProcessorSupplier<byte[], byte[], String, SpecificRecord> processorSupplier(String pipeline) {
        return FrameInferenceProcessor.supplier(detector, segmenter, settings, new FrameMetrics(registry, pipeline),
                pipeline);
    }

    /**
     * Consumes {@code framesTopic} (as bytes) into {@code builder} and adds the processors, under the node names
     * of {@link #DEFAULT_NAME}.
     *
     * <p>{@link StreamsBuilder#build()} refuses node names used twice, so a second {@code EmoStreams} in one
     * topology needs a name of its own.
     *
     * @throws NullPointerException if an argument is null
     */
    public Results process(StreamsBuilder builder, String framesTopic) {
        return process(builder, framesTopic, Named.as(DEFAULT_NAME));
    }

    /**
     * Consumes {@code framesTopic} (as bytes) into {@code builder} and adds the processors, their node names
     * starting with {@code named}'s name ({@code cams-a-frames}, {@code cams-a-inference}, ...), so that several
     * {@code EmoStreams} can share one topology.
     *
     * @throws NullPointerException if an argument is null
     */
    public Results process(StreamsBuilder builder, String framesTopic, Named named) {
        Objects.requireNonNull(builder, "builder must not be null");
        Objects.requireNonNull(framesTopic, "framesTopic must not be null");
        NodeNames names = new NodeNames(named);
        return process(builder.stream(framesTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                .withName(names.of("frames"))), names);
    }

    /**
     * Adds the processors to a stream of serialized {@code VideoFrame} values, under the node names of
     * {@link #DEFAULT_NAME}.
     *
     * @throws NullPointerException if {@code frames} is null
     */
    public Results process(KStream<byte[], byte[]> frames) {
        return process(frames, Named.as(DEFAULT_NAME));
    }

    /**
     * Adds the processors to a stream of serialized {@code VideoFrame} values, their node names starting with
     * {@code named}'s name.
     *
     * @throws NullPointerException if an argument is null
     */
    public Results process(KStream<byte[], byte[]> frames, Named named) {
        return process(frames, new NodeNames(named));
    }

    private Results process(KStream<byte[], byte[]> frames, NodeNames names) {
        Objects.requireNonNull(frames, "frames must not be null");
        String branchPrefix = names.of("");
        Map<String, KStream<String, SpecificRecord>> branches = frames
                .process(processorSupplier(names.pipeline()), Named.as(names.of("inference")))
                .split(Named.as(branchPrefix))
                .branch((k, v) -> v instanceof FrameDetections, Branched.as(DETECTIONS))
                .branch((k, v) -> v instanceof FrameSegmentation, Branched.as(SEGMENTATIONS))
                .branch((k, v) -> v instanceof DeadLetter, Branched.as(DEAD_LETTERS))
                .noDefaultBranch();
        return new Results(
                branches.get(branchPrefix + DETECTIONS).mapValues(v -> (FrameDetections) v),
                branches.get(branchPrefix + SEGMENTATIONS).mapValues(v -> (FrameSegmentation) v),
                branches.get(branchPrefix + DEAD_LETTERS).mapValues(v -> (DeadLetter) v));
    }

    /**
     * For the Processor API: adds the frame processor as a child of {@code parentNames} (which must forward the
     * serialized frames as {@code byte[]} keys and values) and one sink writing each result to its topic, under
     * the node names of {@link #DEFAULT_NAME}.
     *
     * @throws NullPointerException if an argument is null
     * @throws org.apache.kafka.streams.errors.TopologyException if the topology already has these node names or
     *         lacks a parent
     */
    public Topology addTo(Topology topology, Topics topics, String... parentNames) {
        return addTo(topology, topics, Named.as(DEFAULT_NAME), parentNames);
    }

    /**
     * As {@link #addTo(Topology, Topics, String...)}, the node names starting with {@code named}'s name
     * ({@code cams-a-inference}, {@code cams-a-results}), so that several {@code EmoStreams} can share one topology.
     *
     * @throws NullPointerException if an argument is null
     * @throws org.apache.kafka.streams.errors.TopologyException if the topology already has these node names or
     *         lacks a parent
     */
    public Topology addTo(Topology topology, Topics topics, Named named, String... parentNames) {
        Objects.requireNonNull(topology, "topology must not be null");
        Objects.requireNonNull(topics, "topics must not be null");
        Objects.requireNonNull(parentNames, "parentNames must not be null");
        NodeNames names = new NodeNames(named);
        TopicNameExtractor<String, SpecificRecord> topicOf = (key, value, context) ->
                value instanceof FrameDetections ? topics.detections()
                        : value instanceof FrameSegmentation ? topics.segmentations() : topics.deadLetters();
        return topology
                .addProcessor(names.of("inference"), processorSupplier(names.pipeline()), parentNames)
                .addSink(names.of("results"), topicOf, new StringSerializer(), new ResultSerializer(),
                        names.of("inference"));
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
        /**
         * Writes each stream to its topic with the project's Avro serdes.
         *
         * @throws NullPointerException if {@code topics} is null
         */
        public void to(Topics topics) {
            Objects.requireNonNull(topics, "topics must not be null");
            detections.to(topics.detections(), Produced.with(Serdes.String(), AvroSerdes.frameDetections()));
            segmentations.to(topics.segmentations(), Produced.with(Serdes.String(), AvroSerdes.frameSegmentation()));
            deadLetters.to(topics.deadLetters(), Produced.with(Serdes.String(), AvroSerdes.deadLetter()));
        }
    }

    /** The node names of one {@code EmoStreams} in a topology: its name, a dash, the node's role. */
    private static final class NodeNames extends Named {
        /** Named keeps its name protected: a subclass is the public way to read it. */
        NodeNames(Named named) {
            super(Objects.requireNonNull(named, "named must not be null"));
        }

        String of(String role) {
            return name + "-" + role;
        }

        /** The name alone: the pipeline tag of the processors' meters. */
        String pipeline() {
            return name;
        }
    }
}
