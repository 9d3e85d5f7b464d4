package io.emostream.topology;

import io.emostream.models.runtime.GpuSettings;
import io.emostream.models.runtime.RuntimeConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inference runtime's keys, GPU and warm-up ones included, as they reach {@link RuntimeConfig}. */
class EmoStreamConfigRuntimeTest {
    @Test
    void theDefaultsAreTheRuntimesOwn() {
        assertEquals(RuntimeConfig.defaults(), new EmoStreamConfig(Map.of()).runtimeConfig());
    }

    @Test
    void gpuAndWarmUpKeysReachTheRuntimeConfiguration() {
        RuntimeConfig runtime = new EmoStreamConfig(Map.of(
                EmoStreamConfig.BATCH_MAX_SIZE, "32",
                EmoStreamConfig.WARMUP_BATCH_SIZES, "1, 8,32",
                EmoStreamConfig.TENSORRT_FP16_ENABLED, "false",
                EmoStreamConfig.TENSORRT_ENGINE_CACHE_ENABLED, "false",
                EmoStreamConfig.TENSORRT_ENGINE_CACHE_DIR, "/var/cache/trt",
                EmoStreamConfig.TENSORRT_PROFILE_OPT_BATCH, "16",
                EmoStreamConfig.CUDA_CUDNN_CONV_ALGO_SEARCH, "heuristic",
                EmoStreamConfig.CUDA_ARENA_EXTEND_STRATEGY, "same_as_requested",
                EmoStreamConfig.CUDA_GPU_MEM_LIMIT_BYTES, "4294967296")).runtimeConfig();
        assertEquals(List.of(1, 8, 32), runtime.warmupBatchSizes());
        assertEquals(new GpuSettings(false, false, "/var/cache/trt", 16, GpuSettings.ConvAlgoSearch.HEURISTIC,
                GpuSettings.ArenaExtendStrategy.SAME_AS_REQUESTED, 4L << 30), runtime.gpu());
    }

    @Test
    void theBoundOnInputSizesPerModelReachesTheRuntimeConfiguration() {
        assertEquals(2, new EmoStreamConfig(Map.of(EmoStreamConfig.MODEL_INPUT_SIZES_MAX, "2")).runtimeConfig()
                .maxInputSizes());
        assertEquals(RuntimeConfig.DEFAULT_MAX_INPUT_SIZES, new EmoStreamConfig(Map.of()).runtimeConfig()
                .maxInputSizes());
    }

    @Test
    void warmUpSizesBeyondTheLargestBatchOrNotNumbersAreRefusedNamingTheKey() {
        ConfigException tooLarge = assertThrows(ConfigException.class, () -> new EmoStreamConfig(Map.of(
                EmoStreamConfig.WARMUP_BATCH_SIZES, "1,16")).runtimeConfig());
        assertTrue(tooLarge.getMessage().contains(EmoStreamConfig.WARMUP_BATCH_SIZES)
                && tooLarge.getMessage().contains("batch.max.size (8)"), tooLarge.getMessage());
        ConfigException garbage = assertThrows(ConfigException.class, () -> new EmoStreamConfig(Map.of(
                EmoStreamConfig.WARMUP_BATCH_SIZES, "one")));
        assertTrue(garbage.getMessage().contains(EmoStreamConfig.WARMUP_BATCH_SIZES), garbage.getMessage());
        assertEquals(List.of(), new EmoStreamConfig(Map.of(EmoStreamConfig.WARMUP_BATCH_SIZES, "0")).runtimeConfig()
                .warmupSizes(), "0: no warm-up");
        assertThrows(ConfigException.class, () -> new EmoStreamConfig(Map.of(
                EmoStreamConfig.CUDA_CUDNN_CONV_ALGO_SEARCH, "fastest")));
    }
}
