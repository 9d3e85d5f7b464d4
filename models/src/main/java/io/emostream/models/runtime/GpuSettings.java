package io.emostream.models.runtime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a GPU deployment sets on ONNX Runtime's CUDA and TensorRT providers; the CPU provider ignores it.
 *
 * @param tensorrtFp16           TensorRT may run layers in fp16 (about twice the throughput of fp32 on tensor cores)
 * @param tensorrtEngineCache    TensorRT keeps the engines it builds in {@code tensorrtEngineCacheDir} and reuses them
 *                               on the next start instead of building them again (minutes per model)
 * @param tensorrtEngineCacheDir where; empty = {@link #defaultEngineCacheDir()}
 * @param tensorrtProfileOptBatch the batch size TensorRT tunes its optimisation profile for (the profile covers 1 to
 *                               the largest batch); 0 = the largest batch
 * @param cudnnConvAlgoSearch    how cuDNN picks a convolution algorithm for each new input shape
 * @param arenaExtendStrategy    how the CUDA memory arena grows
 * @param gpuMemLimitBytes       most bytes the CUDA arena takes on the device; 0 = no limit
 */
public record GpuSettings(boolean tensorrtFp16, boolean tensorrtEngineCache, String tensorrtEngineCacheDir,
                          int tensorrtProfileOptBatch, ConvAlgoSearch cudnnConvAlgoSearch,
                          ArenaExtendStrategy arenaExtendStrategy, long gpuMemLimitBytes) {

    /** fp16 and the engine cache on, the profile tuned for the largest batch, ONNX Runtime's own CUDA defaults. */
    public static final GpuSettings DEFAULTS = new GpuSettings(true, true, "", 0, ConvAlgoSearch.EXHAUSTIVE,
            ArenaExtendStrategy.NEXT_POWER_OF_TWO, 0);

    public GpuSettings {
        if (tensorrtEngineCacheDir == null || cudnnConvAlgoSearch == null || arenaExtendStrategy == null) {
            throw new IllegalArgumentException("GPU settings must all be set (an empty cache directory is the default)");
        }
        if (tensorrtProfileOptBatch < 0 || gpuMemLimitBytes < 0) {
            throw new IllegalArgumentException("tensorrtProfileOptBatch and gpuMemLimitBytes must be >= 0, got "
                    + tensorrtProfileOptBatch + " and " + gpuMemLimitBytes);
        }
    }

    /** {@code ~/.cache/emostream/tensorrt}. */
    public static Path defaultEngineCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "emostream", "tensorrt");
    }

    /** The engine cache directory in use. */
    public Path engineCacheDir() {
        return tensorrtEngineCacheDir.isBlank() ? defaultEngineCacheDir() : Path.of(tensorrtEngineCacheDir);
    }

    /**
     * cuDNN's convolution algorithm search: EXHAUSTIVE benchmarks every algorithm once per input shape (the fastest
     * kernels; the warm-up pays for it), HEURISTIC picks one from cuDNN's heuristics, DEFAULT takes the first.
     */
    public enum ConvAlgoSearch {
        EXHAUSTIVE, HEURISTIC, DEFAULT;

        public static ConvAlgoSearch parse(String text) {
            return parseEnum(ConvAlgoSearch.class, values(), text);
        }
    }

    /** NEXT_POWER_OF_TWO grows the arena in doubling chunks; SAME_AS_REQUESTED by what is asked (less memory). */
    public enum ArenaExtendStrategy {
        NEXT_POWER_OF_TWO("kNextPowerOfTwo"), SAME_AS_REQUESTED("kSameAsRequested");

        private final String ortName;

        ArenaExtendStrategy(String ortName) {
            this.ortName = ortName;
        }

        /** The value ONNX Runtime's {@code arena_extend_strategy} option takes. */
        public String ortName() {
            return ortName;
        }

        public static ArenaExtendStrategy parse(String text) {
            return parseEnum(ArenaExtendStrategy.class, values(), text);
        }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, E[] values, String text) {
        for (E value : values) {
            if (text != null && value.name().equalsIgnoreCase(text.trim())) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + text + "'; use one of "
                + Arrays.toString(values).toLowerCase(Locale.ROOT));
    }
}
