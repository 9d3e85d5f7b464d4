package io.emostream.cli;

import io.emostream.models.runtime.ExecutionProvider;
import io.emostream.models.runtime.RuntimeConfig;
import picocli.CommandLine.Option;

import java.util.Locale;

/** The runtime and frame options every {@code bench} measurement shares. */
final class BenchRuntimeOptions {
    @Option(names = "--provider", defaultValue = "auto",
            description = "Execution provider: auto, cuda, tensorrt or cpu (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--device-id", defaultValue = "0", description = "GPU ordinal (default: ${DEFAULT-VALUE}).")
    int deviceId;

    @Option(names = "--intra-op-threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime intra-op threads per session call, 0 = auto as intra.op.threads "
                    + "(default: ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(names = "--batch-concurrency", defaultValue = "0", paramLabel = "N",
            description = "Batches in flight per model, and session calls at once in the session scenario, 0 = auto "
                    + "as batch.concurrency (default: ${DEFAULT-VALUE}).")
    int batchConcurrency;

    @Option(names = "--max-batch", paramLabel = "N", description = "Largest batch the dynamic batcher forms "
            + "(default: the runtime's default).")
    Integer maxBatch;

    @Option(names = "--max-wait-ms", paramLabel = "MS", description = "Longest the batcher waits for company "
            + "(default: the runtime's default).")
    Long maxWaitMs;

    @Option(names = "--frame-size", defaultValue = "640x480", paramLabel = "WxH",
            description = "Size of the synthetic JPEG frames (default: ${DEFAULT-VALUE}).")
    String frameSize;

    /** @throws IllegalArgumentException for an unknown provider */
    RuntimeConfig runtimeConfig() {
        RuntimeConfig.Builder config = RuntimeConfig.builder().provider(ExecutionProvider.parse(provider))
                .deviceId(deviceId).intraOpThreads(intraOpThreads).batchConcurrency(batchConcurrency);
        if (maxBatch != null) {
            config.maxBatch(maxBatch);
        }
        if (maxWaitMs != null) {
            config.maxWaitMs(maxWaitMs);
        }
        return config.build();
    }

    /** @throws IllegalArgumentException when --frame-size is not WIDTHxHEIGHT */
    int frameWidth() {
        return size(0);
    }

    /** @throws IllegalArgumentException when --frame-size is not WIDTHxHEIGHT */
    int frameHeight() {
        return size(1);
    }

    private int size(int index) {
        String[] parts = frameSize.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                return Integer.parseInt(parts[index].trim());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--frame-size must be WIDTHxHEIGHT, e.g. 640x480; got '" + frameSize + "'");
    }
}
