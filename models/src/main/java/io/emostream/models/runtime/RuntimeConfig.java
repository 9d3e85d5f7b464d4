package io.emostream.models.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * How a model runs.
 *
 * @param provider         execution provider, see {@link ExecutionProvider}
 * @param deviceId         GPU ordinal for CUDA / TensorRT
 * @param intraOpThreads   ONNX Runtime intra-op threads, 0 = auto, see {@link #resolvedFor}
 * @param maxBatch         largest batch the batcher forms
 * @param maxWaitMs        while another batch is running and a further slot is free, longest the oldest queued
 *                         request waits for company before its batch runs (an idle session runs a request at once;
 *                         see {@link DynamicBatcher})
 * @param requestTimeoutMs deadline of a request from submit to result; it then fails with {@link InferenceException}
 * @param maskMaxSide      segmentation: longest side of the output label map (aspect of the frame kept, never larger
 *                         than the frame); 0 = the model input's longest side
 * @param batchConcurrency most batches the batcher runs at once on the one session; 0 = auto, see
 *                         {@link #resolvedFor}
 * @param gpu              CUDA and TensorRT provider settings
 * @param warmupBatchSizes batch sizes run once at start, before any frame; empty = auto (see {@link #resolvedFor}),
 *                         {@code [0]} = no warm-up
 * @param maxInputSizes    most input sizes (each a graph, session and batcher) one model whose input size follows the
 *                         frame's aspect ratio keeps open, see {@link SizeFollowingPredictor}
 */
public record RuntimeConfig(ExecutionProvider provider, int deviceId, int intraOpThreads, int maxBatch,
                            long maxWaitMs, long requestTimeoutMs, int maskMaxSide, int batchConcurrency,
                            GpuSettings gpu, List<Integer> warmupBatchSizes, int maxInputSizes) {
    /** Auto batch concurrency on the CPU stops here: a pipeline seldom has more frames in flight per model. */
    static final int MAX_AUTO_CPU_CONCURRENCY = 4;
    /** Input sizes per model by default: a few camera aspect ratios (4:3, 16:9, portrait) besides the card's own. */
    public static final int DEFAULT_MAX_INPUT_SIZES = 4;

    /** A configuration with {@link #DEFAULT_MAX_INPUT_SIZES}. */
    public RuntimeConfig(ExecutionProvider provider, int deviceId, int intraOpThreads, int maxBatch, long maxWaitMs,
                         long requestTimeoutMs, int maskMaxSide, int batchConcurrency, GpuSettings gpu,
                         List<Integer> warmupBatchSizes) {
        this(provider, deviceId, intraOpThreads, maxBatch, maxWaitMs, requestTimeoutMs, maskMaxSide, batchConcurrency,
                gpu, warmupBatchSizes, DEFAULT_MAX_INPUT_SIZES);
    }

    public RuntimeConfig {
        if (provider == null) {
            throw new IllegalArgumentException("provider must be set");
        }
        require(deviceId >= 0, "deviceId must be >= 0, got " + deviceId);
        require(intraOpThreads >= 0, "intraOpThreads must be >= 0 (0 = ONNX Runtime default), got " + intraOpThreads);
        require(maxBatch >= 1 && maxBatch <= 1024, "maxBatch must be 1..1024, got " + maxBatch);
        require(maxWaitMs >= 0, "maxWaitMs must be >= 0, got " + maxWaitMs);
        require(requestTimeoutMs >= 1, "requestTimeoutMs must be >= 1, got " + requestTimeoutMs);
        require(maskMaxSide >= 0 && maskMaxSide <= 8192, "maskMaxSide must be 0..8192 (0 = model input size), got "
                + maskMaxSide);
        require(batchConcurrency >= 0 && batchConcurrency <= 64, "batchConcurrency must be 0..64 (0 = auto), got "
                + batchConcurrency);
        require(gpu != null, "gpu settings must be set");
        require(warmupBatchSizes != null, "warmupBatchSizes must be set (empty = auto)");
        warmupBatchSizes = List.copyOf(warmupBatchSizes);
        require(warmupBatchSizes.equals(List.of(0)) || warmupBatchSizes.stream().allMatch(b -> b >= 1 && b <= maxBatch),
                "warmupBatchSizes must be batch sizes from 1 to maxBatch (" + maxBatch + "), 0 alone (no warm-up) or "
                        + "none (auto), got " + warmupBatchSizes);
        require(maxInputSizes >= 1 && maxInputSizes <= 64, "maxInputSizes must be 1..64, got " + maxInputSizes);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * AUTO provider, device 0, auto threads and batch concurrency, batches of up to 8 (5 ms wait), 10 s deadline,
     * mask at input size, {@link GpuSettings#DEFAULTS}, auto warm-up.
     */
    public static RuntimeConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().provider(provider).deviceId(deviceId).intraOpThreads(intraOpThreads).maxBatch(maxBatch)
                .maxWaitMs(maxWaitMs).requestTimeoutMs(requestTimeoutMs).maskMaxSide(maskMaxSide)
                .batchConcurrency(batchConcurrency).gpu(gpu).warmupBatchSizes(warmupBatchSizes)
                .maxInputSizes(maxInputSizes);
    }

    /**
     * This configuration with every auto setting made concrete for a session on {@code provider} (never AUTO) on a
     * machine of {@code cores} cores:
     * <ul>
     *   <li>CPU, both auto: {@code min(cores, 4)} batches in flight of {@code cores / batches} intra-op threads each
     *       (2 cores: two one-thread calls at once, which keep both cores busier than one two-thread call); one of
     *       the two set: the other is the cores divided by it.</li>
     *   <li>CUDA and TensorRT: one batch at a time unless set; intra-op threads as set (0 = ONNX Runtime's
     *       default, for the nodes left to the CPU).</li>
     *   <li>Warm-up, auto: on a GPU every power of two up to {@code maxBatch}, and {@code maxBatch} (each new shape
     *       costs cuDNN's algorithm search or a TensorRT engine); on the CPU batch 1 (the memory arena).</li>
     * </ul>
     */
    public RuntimeConfig resolvedFor(ExecutionProvider provider, int cores) {
        if (provider == ExecutionProvider.AUTO) {
            throw new IllegalArgumentException("resolve for the provider in use, not AUTO");
        }
        int threads = intraOpThreads;
        int batches = batchConcurrency;
        boolean cpu = provider == ExecutionProvider.CPU;
        if (cpu && threads == 0) {
            batches = batches > 0 ? batches : Math.min(Math.max(1, cores), MAX_AUTO_CPU_CONCURRENCY);
            threads = Math.max(1, cores / batches);
        } else if (batches == 0) {
            batches = cpu ? Math.max(1, cores / threads) : 1;
        }
        List<Integer> warmup = warmupBatchSizes.isEmpty() ? autoWarmup(cpu) : warmupBatchSizes;
        return toBuilder().provider(provider).intraOpThreads(threads).batchConcurrency(batches)
                .warmupBatchSizes(warmup).build();
    }

    /** The batch sizes to warm up with once resolved; empty for none. */
    public List<Integer> warmupSizes() {
        return warmupBatchSizes.equals(List.of(0)) ? List.of() : warmupBatchSizes;
    }

    private List<Integer> autoWarmup(boolean cpu) {
        if (cpu) {
            return List.of(1);
        }
        List<Integer> sizes = new ArrayList<>();
        for (int b = 1; b < maxBatch; b *= 2) {
            sizes.add(b);
        }
        sizes.add(maxBatch);
        return sizes;
    }

    /** Collects the settings; {@link #build()} validates them (in the record's constructor). */
    public static final class Builder {
        private ExecutionProvider provider = ExecutionProvider.AUTO;
        private int deviceId;
        private int intraOpThreads;
        private int maxBatch = 8;
        private long maxWaitMs = 5;
        private long requestTimeoutMs = 10_000;
        private int maskMaxSide;
        private int batchConcurrency;
        private GpuSettings gpu = GpuSettings.DEFAULTS;
        private List<Integer> warmupBatchSizes = List.of();
        private int maxInputSizes = DEFAULT_MAX_INPUT_SIZES;

        private Builder() { }

        public Builder provider(ExecutionProvider provider) {
            this.provider = provider;
            return this;
        }

        public Builder deviceId(int deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        public Builder intraOpThreads(int intraOpThreads) {
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        public Builder maxBatch(int maxBatch) {
            this.maxBatch = maxBatch;
            return this;
        }

        public Builder maxWaitMs(long maxWaitMs) {
            this.maxWaitMs = maxWaitMs;
            return this;
        }

        public Builder requestTimeoutMs(long requestTimeoutMs) {
            this.requestTimeoutMs = requestTimeoutMs;
            return this;
        }

        public Builder maskMaxSide(int maskMaxSide) {
            this.maskMaxSide = maskMaxSide;
            return this;
        }

        public Builder batchConcurrency(int batchConcurrency) {
            this.batchConcurrency = batchConcurrency;
            return this;
        }

        public Builder gpu(GpuSettings gpu) {
            this.gpu = gpu;
            return this;
        }

        /** Empty = auto, {@code [0]} = no warm-up. */
        public Builder warmupBatchSizes(List<Integer> warmupBatchSizes) {
            this.warmupBatchSizes = warmupBatchSizes;
            return this;
        }

        public Builder maxInputSizes(int maxInputSizes) {
            this.maxInputSizes = maxInputSizes;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting out of range */
        public RuntimeConfig build() {
            return new RuntimeConfig(provider, deviceId, intraOpThreads, maxBatch, maxWaitMs, requestTimeoutMs,
                    maskMaxSide, batchConcurrency, gpu, warmupBatchSizes, maxInputSizes);
        }
    }
}
