package io.emostream.models.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The option maps handed to ONNX Runtime's CUDA and TensorRT providers ({@code OrtCUDAProviderOptions},
 * {@code OrtTensorRTProviderOptions}), built from {@link GpuSettings} and the model's input. Kept apart from the
 * session so that what reaches the providers can be checked where no GPU is.
 */
public final class GpuProviderOptions {
    private GpuProviderOptions() { }

    /** CUDA: the device, cuDNN's convolution algorithm search and the memory arena. */
    public static Map<String, String> cuda(int deviceId, GpuSettings gpu) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("device_id", Integer.toString(deviceId));
        options.put("cudnn_conv_algo_search", gpu.cudnnConvAlgoSearch().name());
        options.put("arena_extend_strategy", gpu.arenaExtendStrategy().ortName());
        if (gpu.gpuMemLimitBytes() > 0) {
            options.put("gpu_mem_limit", Long.toString(gpu.gpuMemLimitBytes()));
        }
        return options;
    }

    /**
     * TensorRT: fp16, the engine (and timing) cache, and one optimisation profile for the input from batch 1 to
     * {@code maxBatch} so that a new batch size never builds a new engine.
     *
     * @param inputName  the graph's image input
     * @param inputShape its NCHW shape; the batch dimension is replaced
     */
    public static Map<String, String> tensorrt(int deviceId, GpuSettings gpu, String inputName, long[] inputShape,
                                               int maxBatch) {
        if (inputShape.length != 4) {
            throw new IllegalArgumentException("TensorRT profiles need an NCHW input, got " + inputShape.length
                    + " dimensions");
        }
        int opt = gpu.tensorrtProfileOptBatch() == 0 ? maxBatch : Math.min(gpu.tensorrtProfileOptBatch(), maxBatch);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("device_id", Integer.toString(deviceId));
        options.put("trt_fp16_enable", flag(gpu.tensorrtFp16()));
        options.put("trt_engine_cache_enable", flag(gpu.tensorrtEngineCache()));
        if (gpu.tensorrtEngineCache()) {
            String dir = gpu.engineCacheDir().toAbsolutePath().toString();
            options.put("trt_engine_cache_path", dir);
            options.put("trt_timing_cache_enable", "1");
            options.put("trt_timing_cache_path", dir);
        }
        options.put("trt_profile_min_shapes", shape(inputName, inputShape, 1));
        options.put("trt_profile_opt_shapes", shape(inputName, inputShape, opt));
        options.put("trt_profile_max_shapes", shape(inputName, inputShape, maxBatch));
        return options;
    }

    private static String flag(boolean on) {
        return on ? "1" : "0";
    }

    /** {@code input:8x3x320x320}, TensorRT's shape syntax. */
    private static String shape(String inputName, long[] nchw, int batch) {
        return inputName + ":" + batch + "x" + nchw[1] + "x" + nchw[2] + "x" + nchw[3];
    }
}
