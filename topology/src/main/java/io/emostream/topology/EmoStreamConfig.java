package io.emostream.topology;

import io.emostream.models.image.ImageLimits;
import io.emostream.processors.ProcessingSettings;
import io.emostream.topology.analytics.CameraAnalytics;
import io.emostream.topology.analytics.FlatObjects;
import io.emostream.models.runtime.ExecutionProvider;
import io.emostream.models.runtime.GpuSettings;
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
import java.util.List;
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
    public static final String WARMUP_BATCH_SIZES = "warmup.batch.sizes";
    public static final String MODEL_INPUT_SIZES_MAX = "model.input.sizes.max";

    public static final String TENSORRT_FP16_ENABLED = "tensorrt.fp16.enabled";
    public static final String TENSORRT_ENGINE_CACHE_ENABLED = "tensorrt.engine.cache.enabled";
    public static final String TENSORRT_ENGINE_CACHE_DIR = "tensorrt.engine.cache.dir";
    public static final String TENSORRT_PROFILE_OPT_BATCH = "tensorrt.profile.opt.batch";
    public static final String CUDA_CUDNN_CONV_ALGO_SEARCH = "cuda.cudnn.conv.algo.search";
    public static final String CUDA_ARENA_EXTEND_STRATEGY = "cuda.arena.extend.strategy";
    public static final String CUDA_GPU_MEM_LIMIT_BYTES = "cuda.gpu.mem.limit.bytes";

    public static final String MAX_FRAME_AGE_MS = "max.frame.age.ms";
    public static final String IMAGE_MAX_WIDTH = "image.max.width";
    public static final String IMAGE_MAX_HEIGHT = "image.max.height";
    public static final String IMAGE_MAX_PIXELS = "image.max.pixels";
    public static final String IMAGE_MAX_BYTES = "image.max.bytes";
    public static final String DEAD_LETTER_MAX_VALUE_BYTES = "dead.letter.max.value.bytes";
    public static final String FRAME_INFLIGHT_MAX = "frame.inflight.max";

    private static final RuntimeConfig RUNTIME_DEFAULTS = RuntimeConfig.defaults();
    private static final GpuSettings GPU_DEFAULTS = GpuSettings.DEFAULTS;

    /** Added to the inference timeout before the processor stops waiting on its own; the runtime answers first. */
    private static final long RESULT_WAIT_GRACE_MS = 5_000;

    private static final String TOPICS = "Topics";
    private static final String MODELS = "Models";
    private static final String RUNTIME = "Inference runtime";
    private static final String FRAMES = "Frames";
    private static final String GPU = "GPU (CUDA and TensorRT)";

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
                    Importance.MEDIUM, "Threads one session call of a model may use inside an operator. 0 (auto): on "
                            + "the CPU provider, the cores divided by the batches in flight (batch.concurrency), so "
                            + "that together they use every core; on a GPU, ONNX Runtime's default for the nodes "
                            + "left to the CPU. The choice is logged at start.", RUNTIME, 3, ConfigDef.Width.SHORT,
                    INTRA_OP_THREADS)
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
                            + "sessions are thread-safe). 0 (auto): on the CPU provider, the cores divided by "
                            + "intra.op.threads when that is set, else the cores up to 4 (2 cores: two one-thread "
                            + "calls at once, which keep both cores busier than one two-thread call; they fill only "
                            + "when as many frames are in flight, one per stream thread); on a GPU, 1. The choice is "
                            + "logged at start.",
                    RUNTIME, 5, ConfigDef.Width.SHORT, BATCH_CONCURRENCY)
            .define(INFERENCE_TIMEOUT_MS, Type.LONG, RUNTIME_DEFAULTS.requestTimeoutMs(), Range.atLeast(1),
                    Importance.MEDIUM, "Deadline of one inference request, queueing included; a frame whose model "
                            + "does not answer in time goes to the dead-letter topic.", RUNTIME, 6,
                    ConfigDef.Width.SHORT, INFERENCE_TIMEOUT_MS)
            .define(SEGMENTATION_MASK_MAX_SIDE, Type.INT, RUNTIME_DEFAULTS.maskMaxSide(), Range.between(0, 8192),
                    Importance.LOW, "Longest side of the segmentation mask in result records (the frame's aspect is "
                            + "kept); 0 uses the model's input size.", RUNTIME, 7, ConfigDef.Width.SHORT,
                    SEGMENTATION_MASK_MAX_SIDE)
            .define(WARMUP_BATCH_SIZES, Type.LIST, "", new WarmupSizes(), Importance.LOW,
                    "Batch sizes each model runs once at start, before any frame is read, so that the first frames "
                            + "do not pay for what a first call at a new shape costs (cuDNN's algorithm search, "
                            + "TensorRT's engines, memory arenas); the run application is ready only after it. Empty "
                            + "(auto): on a GPU every power of two up to batch.max.size and batch.max.size itself, on "
                            + "the CPU batch 1; 0: no warm-up.", RUNTIME, 8, ConfigDef.Width.SHORT,
                    WARMUP_BATCH_SIZES)
            .define(MODEL_INPUT_SIZES_MAX, Type.INT, RUNTIME_DEFAULTS.maxInputSizes(), Range.between(1, 64),
                    Importance.MEDIUM, "Models whose input size follows the frame's aspect ratio, as their authors "
                            + "test them (RetinaNet: fit within 1333x800, padded to 32; DeepLabv3 and PSPNet: fit "
                            + "within 2048x512), run one graph, session and batcher per input size, built from the "
                            + "model's weights and warmed up when a frame of a new size first arrives (logged). Each "
                            + "model keeps at most this many sizes, its own graph's included; a frame that needs one "
                            + "more goes to the dead-letter topic with a message naming its size.", RUNTIME, 9,
                    ConfigDef.Width.SHORT, MODEL_INPUT_SIZES_MAX)

            .define(TENSORRT_FP16_ENABLED, Type.BOOLEAN, GPU_DEFAULTS.tensorrtFp16(), Importance.MEDIUM,
                    "TENSORRT: let TensorRT run layers in fp16 (trt_fp16_enable), about twice the throughput of "
                            + "fp32 on tensor cores; outputs differ from fp32 in the last digits.", GPU, 1,
                    ConfigDef.Width.SHORT, TENSORRT_FP16_ENABLED)
            .define(TENSORRT_ENGINE_CACHE_ENABLED, Type.BOOLEAN, GPU_DEFAULTS.tensorrtEngineCache(), Importance.MEDIUM,
                    "TENSORRT: keep the engines TensorRT builds (minutes per model) and its timing cache in "
                            + "tensorrt.engine.cache.dir and reuse them at the next start (trt_engine_cache_enable).",
                    GPU, 2, ConfigDef.Width.SHORT, TENSORRT_ENGINE_CACHE_ENABLED)
            .define(TENSORRT_ENGINE_CACHE_DIR, Type.STRING, GPU_DEFAULTS.tensorrtEngineCacheDir(), Importance.MEDIUM,
                    "TENSORRT: the engine cache directory (trt_engine_cache_path); empty uses "
                            + "~/.cache/emostream/tensorrt. Engines fit one GPU model and TensorRT version: give "
                            + "each kind of GPU its own directory (a volume in a container).", GPU, 3,
                    ConfigDef.Width.LONG, TENSORRT_ENGINE_CACHE_DIR)
            .define(TENSORRT_PROFILE_OPT_BATCH, Type.INT, GPU_DEFAULTS.tensorrtProfileOptBatch(), Range.atLeast(0),
                    Importance.LOW, "TENSORRT: the batch size the optimisation profile is tuned for. The profile "
                            + "covers batch 1 to batch.max.size (trt_profile_min/opt/max_shapes), so a new batch size "
                            + "never builds a new engine; 0 tunes for batch.max.size.", GPU, 4,
                    ConfigDef.Width.SHORT, TENSORRT_PROFILE_OPT_BATCH)
            .define(CUDA_CUDNN_CONV_ALGO_SEARCH, Type.STRING, GPU_DEFAULTS.cudnnConvAlgoSearch().name(),
                    CaseInsensitiveValidString.in(names(GpuSettings.ConvAlgoSearch.values())), Importance.LOW,
                    "CUDA (and TENSORRT's CUDA fallback): how cuDNN picks a convolution algorithm per input shape "
                            + "(cudnn_conv_algo_search): EXHAUSTIVE tries them all once (the fastest kernels; the "
                            + "warm-up pays for it), HEURISTIC asks cuDNN's heuristics, DEFAULT takes the first.",
                    GPU, 5, ConfigDef.Width.SHORT, CUDA_CUDNN_CONV_ALGO_SEARCH)
            .define(CUDA_ARENA_EXTEND_STRATEGY, Type.STRING, GPU_DEFAULTS.arenaExtendStrategy().name(),
                    CaseInsensitiveValidString.in(names(GpuSettings.ArenaExtendStrategy.values())), Importance.LOW,
                    "CUDA: how the device memory arena grows (arena_extend_strategy): NEXT_POWER_OF_TWO in "
                            + "doubling chunks (fewer allocations), SAME_AS_REQUESTED by what is asked (less memory).",
                    GPU, 6, ConfigDef.Width.SHORT, CUDA_ARENA_EXTEND_STRATEGY)
            .define(CUDA_GPU_MEM_LIMIT_BYTES, Type.LONG, GPU_DEFAULTS.gpuMemLimitBytes(), Range.atLeast(0),
                    Importance.LOW, "CUDA: most bytes the memory arena of one model takes on the device "
                            + "(gpu_mem_limit); 0: no limit.", GPU, 7, ConfigDef.Width.SHORT,
                    CUDA_GPU_MEM_LIMIT_BYTES)

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
                    ConfigDef.Width.SHORT, DEAD_LETTER_MAX_VALUE_BYTES)
            .define(FRAME_INFLIGHT_MAX, Type.INT, 1, Range.between(1, 1024), Importance.MEDIUM,
                    "Most frames of one task (one partition of the frames topic) submitted to the models and not yet "
                            + "answered. 1: each frame is answered before the next is read, so a batch holds at most "
                            + "one frame per stream thread. Above 1, the next frames are decoded and submitted while "
                            + "earlier ones wait in the batcher, so batches can fill from fewer stream threads (a GPU); "
                            + "results are still forwarded in input order, and every frame in flight is answered "
                            + "before each commit, so none is lost. Uses an internal Kafka Streams hook (docs/"
                            + "BENCHMARKS.md, \"The in-flight window per task\").", FRAMES, 7, ConfigDef.Width.SHORT,
                    FRAME_INFLIGHT_MAX)));

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
                getLong(INFERENCE_TIMEOUT_MS) + RESULT_WAIT_GRACE_MS, getInt(DEAD_LETTER_MAX_VALUE_BYTES),
                getInt(FRAME_INFLIGHT_MAX));
    }

    /**
     * @throws ConfigException when the warm-up batch sizes do not fit batch.max.size
     */
    public RuntimeConfig runtimeConfig() {
        GpuSettings gpu = new GpuSettings(getBoolean(TENSORRT_FP16_ENABLED), getBoolean(TENSORRT_ENGINE_CACHE_ENABLED),
                getString(TENSORRT_ENGINE_CACHE_DIR), getInt(TENSORRT_PROFILE_OPT_BATCH),
                GpuSettings.ConvAlgoSearch.parse(getString(CUDA_CUDNN_CONV_ALGO_SEARCH)),
                GpuSettings.ArenaExtendStrategy.parse(getString(CUDA_ARENA_EXTEND_STRATEGY)),
                getLong(CUDA_GPU_MEM_LIMIT_BYTES));
        List<Integer> warmup = getList(WARMUP_BATCH_SIZES).stream().map(s -> Integer.parseInt(s.trim())).toList();
        if (!warmup.equals(List.of(0)) && warmup.stream().anyMatch(b -> b < 1 || b > getInt(BATCH_MAX_SIZE))) {
            throw new ConfigException(WARMUP_BATCH_SIZES, getList(WARMUP_BATCH_SIZES), "batch sizes from 1 to "
                    + BATCH_MAX_SIZE + " (" + getInt(BATCH_MAX_SIZE) + "), 0 alone for no warm-up, or empty (auto)");
        }
        return RuntimeConfig.builder()
                .provider(ExecutionProvider.parse(getString(EXECUTION_PROVIDER)))
                .deviceId(getInt(DEVICE_ID))
                .intraOpThreads(getInt(INTRA_OP_THREADS))
                .maxBatch(getInt(BATCH_MAX_SIZE))
                .maxWaitMs(getLong(BATCH_MAX_WAIT_MS))
                .requestTimeoutMs(getLong(INFERENCE_TIMEOUT_MS))
                .maskMaxSide(getInt(SEGMENTATION_MASK_MAX_SIDE))
                .batchConcurrency(getInt(BATCH_CONCURRENCY))
                .gpu(gpu)
                .warmupBatchSizes(warmup)
                .maxInputSizes(getInt(MODEL_INPUT_SIZES_MAX))
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

    /** Whole numbers, each 0 or more; how they fit batch.max.size is checked with it in {@link #runtimeConfig()}. */
    private static final class WarmupSizes implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            for (Object size : (List<?>) value) {
                try {
                    if (Integer.parseInt(size.toString().trim()) >= 0) continue;
                } catch (NumberFormatException e) {
                    // refused below
                }
                throw new ConfigException(name, value, "a list of batch sizes (whole numbers), 0 alone for no "
                        + "warm-up, or empty (auto)");
            }
        }

        @Override
        public String toString() {
            return "batch sizes, 0 or empty";
        }
    }

    private static String[] names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toArray(String[]::new);
    }
}
