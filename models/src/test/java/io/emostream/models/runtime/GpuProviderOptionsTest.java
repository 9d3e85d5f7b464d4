package io.emostream.models.runtime;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What reaches ONNX Runtime's CUDA and TensorRT providers (adding them fails here: no CUDA libraries). */
class GpuProviderOptionsTest {
    private static final long[] SSD_INPUT = {-1, 3, 320, 320};

    @Test
    void tensorRtGetsFp16TheEngineCacheAndOneProfileFromBatchOneToTheLargestBatch() {
        Map<String, String> options = GpuProviderOptions.tensorrt(1, GpuSettings.DEFAULTS, "image", SSD_INPUT, 16);
        String cache = GpuSettings.defaultEngineCacheDir().toAbsolutePath().toString();
        assertEquals(Map.of("device_id", "1", "trt_fp16_enable", "1", "trt_engine_cache_enable", "1",
                "trt_engine_cache_path", cache, "trt_timing_cache_enable", "1", "trt_timing_cache_path", cache,
                "trt_profile_min_shapes", "image:1x3x320x320", "trt_profile_opt_shapes", "image:16x3x320x320",
                "trt_profile_max_shapes", "image:16x3x320x320"), options);
    }

    @Test
    void tensorRtSettingsTurnFp16AndTheCacheOffAndTuneTheProfileForAGivenBatch() {
        GpuSettings settings = new GpuSettings(false, false, "/var/cache/engines", 4,
                GpuSettings.ConvAlgoSearch.EXHAUSTIVE, GpuSettings.ArenaExtendStrategy.NEXT_POWER_OF_TWO, 0);
        Map<String, String> options = GpuProviderOptions.tensorrt(0, settings, "x", new long[] {1, 3, 512, 512}, 32);
        assertEquals("0", options.get("trt_fp16_enable"));
        assertEquals("0", options.get("trt_engine_cache_enable"));
        assertFalse(options.containsKey("trt_engine_cache_path"), options.toString());
        assertEquals("x:4x3x512x512", options.get("trt_profile_opt_shapes"));
        assertEquals("x:32x3x512x512", options.get("trt_profile_max_shapes"));
        assertEquals(Path.of("/var/cache/engines"), settings.engineCacheDir());
        assertEquals("x:8x3x512x512", GpuProviderOptions.tensorrt(0, new GpuSettings(true, true, "", 64,
                GpuSettings.ConvAlgoSearch.EXHAUSTIVE, GpuSettings.ArenaExtendStrategy.NEXT_POWER_OF_TWO, 0), "x",
                new long[] {1, 3, 512, 512}, 8).get("trt_profile_opt_shapes"), "never beyond the largest batch");
        assertThrows(IllegalArgumentException.class,
                () -> GpuProviderOptions.tensorrt(0, settings, "x", new long[] {1, 512}, 8));
    }

    @Test
    void cudaGetsTheConvolutionSearchTheArenaStrategyAndAMemoryLimitOnlyWhenSet() {
        assertEquals(Map.of("device_id", "0", "cudnn_conv_algo_search", "EXHAUSTIVE",
                "arena_extend_strategy", "kNextPowerOfTwo"), GpuProviderOptions.cuda(0, GpuSettings.DEFAULTS));
        GpuSettings lean = new GpuSettings(true, true, "", 0, GpuSettings.ConvAlgoSearch.HEURISTIC,
                GpuSettings.ArenaExtendStrategy.SAME_AS_REQUESTED, 2L << 30);
        assertEquals(Map.of("device_id", "2", "cudnn_conv_algo_search", "HEURISTIC",
                "arena_extend_strategy", "kSameAsRequested", "gpu_mem_limit", "2147483648"),
                GpuProviderOptions.cuda(2, lean));
    }

    @Test
    void settingNamesParseCaseInsensitivelyAndUnknownOnesListTheAcceptedValues() {
        assertEquals(GpuSettings.ConvAlgoSearch.HEURISTIC, GpuSettings.ConvAlgoSearch.parse(" heuristic "));
        assertEquals(GpuSettings.ArenaExtendStrategy.SAME_AS_REQUESTED,
                GpuSettings.ArenaExtendStrategy.parse("same_as_requested"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GpuSettings.ConvAlgoSearch.parse("fastest"));
        assertEquals("unknown ConvAlgoSearch 'fastest'; use one of [exhaustive, heuristic, default]", e.getMessage());
    }
}
