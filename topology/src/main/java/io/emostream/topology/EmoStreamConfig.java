package io.emostream.topology;

import io.emostream.models.image.ImageLimits;
import io.emostream.processors.ProcessingSettings;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.analytics.FlatObjects;
import io.emostream.models.runtime.ExecutionProvider;
import io.emostream.models.runtime.RuntimeConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.CaseInsensitiveValidString;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The plugin's settings, Kafka style: typed, documented keys with defaults. Every key not defined here is a Kafka
 * Streams (or client) setting and passes through unchanged ({@link #streamsProperties()}). An application adds its
 * own keys by extending this class with a {@link ConfigDef} built on {@link #CONFIG}.
 */
public class EmoStreamConfig extends AbstractConfig {
    public static final String FRAMES_TOPIC = "frames.topic";
    public static final String DETECTIONS_TOPIC = "detections.topic";
    public static final String SEGMENTATIONS_TOPIC = "segmentations.topic";
    public static final String DEAD_LETTER_TOPIC = "dead.letter.topic";

    public static final String DETECTION_ENABLED = "detection.enabled";
    public static final String DETECTION_MODEL = "detection.model";
    public static final String SEGMENTATION_ENABLED = "segmentation.enabled";
    public static final String SEGMENTATION_MODEL = "segmentation.model";
    public static final String MODELS_DIR = "models.dir";

    public static final String EXECUTION_PROVIDER = "execution.provider";
    public static final String DEVICE_ID = "device.id";
    public static final String INTRA_OP_THREADS = "intra.op.threads";
    public static final String BATCH_MAX_SIZE = "batch.max.size";
    public static final String BATCH_CONCURRENCY = "batch.concurrency";
    public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
    public static final String INFERENCE_TIMEOUT_MS = "inference.timeout.ms";
    public static final String SEGMENTATION_MASK_MAX_SIDE = "segmentation.mask.max.side";

    public static final String MAX_FRAME_AGE_MS = "max.frame.age.ms";
    public static final String IMAGE_MAX_WIDTH = "image.max.width";
    public static final String IMAGE_MAX_HEIGHT = "image.max.height";
    public static final String IMAGE_MAX_PIXELS = "image.max.pixels";
    public static final String IMAGE_MAX_BYTES = "image.max.bytes";
    public static final String DEAD_LETTER_MAX_VALUE_BYTES = "dead.letter.max.value.bytes";

    private static final RuntimeConfig RUNTIME_DEFAULTS = RuntimeConfig.defaults();

    /** Added to the inference timeout before the processor stops waiting on its own; the runtime answers first. */
    private static final long RESULT_WAIT_GRACE_MS = 5_000;

    private static final String TOPICS = "Topics";
    private static final String MODELS = "Models";
    private static final String RUNTIME = "Inference runtime";
    private static final String FRAMES = "Frames";

    public static final ConfigDef CONFIG = FlatObjects.define(CameraAnalytics.define(new ConfigDef()
            .define(FRAMES_TOPIC, Type.STRING, "frames", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Topic of the input VideoFrame records (Avro single-object encoding), key = camera id.",
                    TOPICS, 1, ConfigDef.Width.MEDIUM, FRAMES_TOPIC)
            .define(DETECTIONS_TOPIC, Type.STRING, "detections", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Topic the FrameDetections records are written to.", TOPICS, 2, ConfigDef.Width.MEDIUM,
                    DETECTIONS_TOPIC)
            .define(SEGMENTATIONS_TOPIC, Type.STRING, "segmentations", new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Topic the FrameSegmentation records are written to.", TOPICS, 3,
                    ConfigDef.Width.MEDIUM, SEGMENTATIONS_TOPIC)
            .define(DEAD_LETTER_TOPIC, Type.STRING, "frames-dlq", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Topic of the DeadLetter records: input records that could not be processed, with the reason, "
                            + "the stage and the original key and value bytes.", TOPICS, 4, ConfigDef.Width.MEDIUM,
                    DEAD_LETTER_TOPIC)

            .define(DETECTION_ENABLED, Type.BOOLEAN, true, Importance.HIGH, "Whether detection runs.", MODELS, 1,
                    ConfigDef.Width.SHORT, DETECTION_ENABLED)
            .define(DETECTION_MODEL, Type.STRING, "emo-1m-ssdlite", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Detection model: a built-in name (emo-1m-ssdlite, emo-2m-ssdlite, ...) or the path of an .onnx "
                            + "file with its .card.json beside it.", MODELS, 2, ConfigDef.Width.LONG,
                    DETECTION_MODEL)
            .define(SEGMENTATION_ENABLED, Type.BOOLEAN, true, Importance.HIGH, "Whether segmentation runs.", MODELS,
                    3, ConfigDef.Width.SHORT, SEGMENTATION_ENABLED)
            .define(SEGMENTATION_MODEL, Type.STRING, "emo-1m-deeplabv3", new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Segmentation model: a built-in name (emo-1m-deeplabv3, ...) or the path of an "
                            + ".onnx file with its .card.json beside it.", MODELS, 4, ConfigDef.Width.LONG,
                    SEGMENTATION_MODEL)
            .define(MODELS_DIR, Type.STRING, "", Importance.LOW,
                    "Where built-in models are built on first use and cached; empty uses $EMOSTREAM_MODEL_CACHE, "
                            + "else ~/.cache/emostream/models.", MODELS, 5, ConfigDef.Width.LONG, MODELS_DIR)

            .define(EXECUTION_PROVIDER, Type.STRING, RUNTIME_DEFAULTS.provider().name(),
                    CaseInsensitiveValidString.in(names(ExecutionProvider.values())), Importance.HIGH,
                    "ONNX Runtime execution provider: AUTO (CUDA when a GPU is usable, else CPU; the choice is "
                            + "logged), CUDA, TENSORRT or CPU. CUDA and TENSORRT fail at start-up when unavailable.",
                    RUNTIME, 1, ConfigDef.Width.SHORT, EXECUTION_PROVIDER)
            .define(DEVICE_ID, Type.INT, RUNTIME_DEFAULTS.deviceId(), Range.atLeast(0), Importance.LOW,
                    "GPU ordinal for CUDA and TENSORRT.", RUNTIME, 2, ConfigDef.Width.SHORT, DEVICE_ID)
            .define(INTRA_OP_THREADS, Type.INT, RUNTIME_DEFAULTS.intraOpThreads(), Range.atLeast(0),
                    Importance.MEDIUM, "Threads one model session may use inside an operator; 0 lets ONNX Runtime "
                            + "choose (one per core).", RUNTIME, 3, ConfigDef.Width.SHORT, INTRA_OP_THREADS)
            .define(BATCH_MAX_SIZE, Type.INT, RUNTIME_DEFAULTS.maxBatch(), Range.between(1, 1024), Importance.HIGH,
                    "Largest batch the shared dynamic batcher of each model forms from the concurrent requests of "
                            + "all stream threads and tasks in this JVM.", RUNTIME, 4, ConfigDef.Width.SHORT,
                    BATCH_MAX_SIZE)
            .define(BATCH_MAX_WAIT_MS, Type.LONG, RUNTIME_DEFAULTS.maxWaitMs(), Range.atLeast(0), Importance.HIGH,
                    "When no batch is running, a request runs at once with whatever is already queued (up to "
                            + "batch.max.size); requests that arrive while a batch runs form the next batch when it "
                            + "ends. This wait only applies while a batch is in flight and another one could start "
                            + "beside it (batch concurrency above 1): that next batch waits until it is full or its "
                            + "oldest request has waited this long. It never delays a request on an idle session.",
                    RUNTIME, 5, ConfigDef.Width.SHORT, BATCH_MAX_WAIT_MS)
            .define(BATCH_CONCURRENCY, Type.INT, RUNTIME_DEFAULTS.batchConcurrency(), Range.between(0, 64),
                    Importance.MEDIUM, "Most batches of one model that run at once on its session (ONNX Runtime "
                            + "sessions are thread-safe). 0 (auto): on the CPU provider with intra.op.threads set, "
                            + "the cores divided by intra.op.threads (intra.op.threads=1 on 2 cores: 2 batches at "
                            + "once, faster than one 2-thread call with several stream threads); otherwise 1.",
                    RUNTIME, 5, ConfigDef.Width.SHORT, BATCH_CONCURRENCY)
            .define(INFERENCE_TIMEOUT_MS, Type.LONG, RUNTIME_DEFAULTS.requestTimeoutMs(), Range.atLeast(1),
                    Importance.MEDIUM, "Deadline of one inference request, queueing included; a frame whose model "
                            + "does not answer in time goes to the dead-letter topic.", RUNTIME, 6,
                    ConfigDef.Width.SHORT, INFERENCE_TIMEOUT_MS)
            .define(SEGMENTATION_MASK_MAX_SIDE, Type.INT, RUNTIME_DEFAULTS.maskMaxSide(), Range.between(0, 8192),
                    Importance.LOW, "Longest side of the segmentation mask in result records (the frame's aspect is "
                            + "kept); 0 uses the model's input size.", RUNTIME, 7, ConfigDef.Width.SHORT,
                    SEGMENTATION_MASK_MAX_SIDE)

            .define(MAX_FRAME_AGE_MS, Type.LONG, 0L, Range.atLeast(0), Importance.MEDIUM,
                    "Frames whose capture time is older than this when their turn comes are skipped and counted "
                            + "(emostream_frames_skipped_too_old_total; Kafka Streams' frames-skipped-too-old), so "
                            + "latency does not creep up under overload; 0 turns the check off.", FRAMES, 1, ConfigDef.Width.SHORT, MAX_FRAME_AGE_MS)
            .define(IMAGE_MAX_WIDTH, Type.INT, ImageLimits.DEFAULT.maxWidth(), Range.atLeast(1), Importance.LOW,
                    "Widest frame accepted, in pixels; checked before decoding.", FRAMES, 2, ConfigDef.Width.SHORT,
                    IMAGE_MAX_WIDTH)
            .define(IMAGE_MAX_HEIGHT, Type.INT, ImageLimits.DEFAULT.maxHeight(), Range.atLeast(1), Importance.LOW,
                    "Tallest frame accepted, in pixels; checked before decoding.", FRAMES, 3, ConfigDef.Width.SHORT,
                    IMAGE_MAX_HEIGHT)
            .define(IMAGE_MAX_PIXELS, Type.LONG, ImageLimits.DEFAULT.maxPixels(), Range.atLeast(1), Importance.LOW,
                    "Largest width * height accepted; checked before decoding.", FRAMES, 4, ConfigDef.Width.SHORT,
                    IMAGE_MAX_PIXELS)
            .define(IMAGE_MAX_BYTES, Type.INT, ImageLimits.DEFAULT.maxBytes(), Range.atLeast(1), Importance.LOW,
                    "Largest encoded image accepted, in bytes.", FRAMES, 5, ConfigDef.Width.SHORT, IMAGE_MAX_BYTES)
            .define(DEAD_LETTER_MAX_VALUE_BYTES, Type.INT, 1_000_000, Range.atLeast(0), Importance.LOW,
                    "Original values larger than this are left out of dead-letter records (the record says so), so "
                            + "that an over-size frame cannot exceed the producer's request size.", FRAMES, 6,
                    ConfigDef.Width.SHORT, DEAD_LETTER_MAX_VALUE_BYTES)));

    private final Set<String> definedKeys;

    /** @throws ConfigException if a value is invalid (the message names the key) */
    public EmoStreamConfig(Map<?, ?> originals) {
        this(CONFIG, originals);
    }

    /** For an application's configuration: {@code definition} must hold every key of {@link #CONFIG}. */
    protected EmoStreamConfig(ConfigDef definition, Map<?, ?> originals) {
        super(definition, originals, false);
        this.definedKeys = Set.copyOf(definition.names());
    }

    /** The camera analytics' topics ({@link CameraAnalytics}). */
    public CameraAnalytics.Topics analyticsTopics() {
        return CameraAnalytics.topics(this);
    }

    /** Whether the camera analytics run: switched on and fed by detection. */
    public boolean analyticsEnabled() {
        return getBoolean(CameraAnalytics.ENABLED) && getBoolean(DETECTION_ENABLED);
    }

    /** Whether the flat objects stream is written: switched on and fed by detection. */
    public boolean objectsEnabled() {
        return getBoolean(FlatObjects.ENABLED) && getBoolean(DETECTION_ENABLED);
    }

    public Topics topics() {
        return new Topics(getString(FRAMES_TOPIC), getString(DETECTIONS_TOPIC), getString(SEGMENTATIONS_TOPIC),
                getString(DEAD_LETTER_TOPIC));
    }

    public ProcessingSettings processingSettings() {
        ImageLimits limits = new ImageLimits(getInt(IMAGE_MAX_WIDTH), getInt(IMAGE_MAX_HEIGHT),
                getLong(IMAGE_MAX_PIXELS), getInt(IMAGE_MAX_BYTES));
        return new ProcessingSettings(limits, getLong(MAX_FRAME_AGE_MS),
                getLong(INFERENCE_TIMEOUT_MS) + RESULT_WAIT_GRACE_MS, getInt(DEAD_LETTER_MAX_VALUE_BYTES));
    }

    public RuntimeConfig runtimeConfig() {
        return RuntimeConfig.builder()
                .provider(ExecutionProvider.parse(getString(EXECUTION_PROVIDER)))
                .deviceId(getInt(DEVICE_ID))
                .intraOpThreads(getInt(INTRA_OP_THREADS))
                .maxBatch(getInt(BATCH_MAX_SIZE))
                .maxWaitMs(getLong(BATCH_MAX_WAIT_MS))
                .requestTimeoutMs(getLong(INFERENCE_TIMEOUT_MS))
                .maskMaxSide(getInt(SEGMENTATION_MASK_MAX_SIDE))
                .batchConcurrency(getInt(BATCH_CONCURRENCY))
                .build();
    }

    /** The settings that are not emostream's: Kafka Streams and client configuration, unchanged. */
    public Map<String, Object> streamsProperties() {
        Map<String, Object> props = new HashMap<>();
        originals().forEach((k, v) -> {
            if (!definedKeys.contains(k)) props.put(k, v);
        });
        return props;
    }

    private static String[] names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toArray(String[]::new);
    }
}
