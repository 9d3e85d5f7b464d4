package io.emostream.models.runtime;

/**
 * How a model runs.
 *
 * @param provider         execution provider, see {@link ExecutionProvider}
 * @param deviceId         GPU ordinal for CUDA / TensorRT
 * @param intraOpThreads   ONNX Runtime intra-op threads, 0 = its default (one per core)
 * @param maxBatch         largest batch the batcher forms
 * @param maxWaitMs        while another batch is running and a further slot is free, longest the oldest queued
 *                         request waits for company before its batch runs (an idle session runs a request at once;
 *                         see {@link DynamicBatcher})
 * @param requestTimeoutMs deadline of a request from submit to result; it then fails with {@link InferenceException}
 * @param maskMaxSide      segmentation: longest side of the output label map (aspect of the frame kept, never larger
 *                         than the frame); 0 = the model input's longest side
 * @param batchConcurrency most batches the batcher runs at once on the one session; 0 = auto, see
 *                         {@link #batchConcurrencyOn}
 */
public record RuntimeConfig(ExecutionProvider provider, int deviceId, int intraOpThreads, int maxBatch,
                            long maxWaitMs, long requestTimeoutMs, int maskMaxSide, int batchConcurrency) {

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
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * AUTO provider, device 0, default threads, batches of up to 8 (5 ms wait), auto batch concurrency, 10 s deadline,
     * mask at input size.
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
                .batchConcurrency(batchConcurrency);
    }

    /**
     * How many batches run at once on a session of {@code provider}: {@code batchConcurrency} when set; else (auto)
     * on the CPU, with {@code intraOpThreads} set, one batch per {@code intraOpThreads} of the {@code cores} (several
     * narrow calls keep the cores busier than one wide call when several callers submit), otherwise one.
     */
    public int batchConcurrencyOn(ExecutionProvider provider, int cores) {
        if (batchConcurrency > 0) {
            return batchConcurrency;
        }
        if (provider != ExecutionProvider.CPU || intraOpThreads == 0) {
            return 1;
        }
        return Math.max(1, cores / intraOpThreads);
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

        /** @throws IllegalArgumentException naming the first setting out of range */
        public RuntimeConfig build() {
            return new RuntimeConfig(provider, deviceId, intraOpThreads, maxBatch, maxWaitMs, requestTimeoutMs,
                    maskMaxSide, batchConcurrency);
        }
    }
}
