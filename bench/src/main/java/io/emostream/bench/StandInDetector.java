package io.emostream.bench;

import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.runtime.BatcherMetrics;
import io.emostream.models.runtime.DynamicBatcher;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.PreparedInput;
import io.emostream.models.runtime.Predictor;
import io.emostream.models.runtime.Preprocessor;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.models.runtime.StageTimings;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A STAND-IN, not a model: a detector whose batch call costs what a GPU's does, a fixed time per call plus a small
 * time per frame, spent waiting (a GPU call leaves the CPU free), behind the real pre-processing and the real
 * {@link DynamicBatcher}. It detects nothing. It answers, without a GPU, how large the batches get for a given number
 * of requests in flight, and what that does to throughput.
 */
public final class StandInDetector implements Predictor<DetectionResult> {
    /** Cost of one batch call: {@code fixedMs + perFrameMs * frames}. */
    public record Cost(double fixedMs, double perFrameMs) {
        public Cost {
            if (!(fixedMs >= 0 && perFrameMs >= 0 && fixedMs + perFrameMs > 0 && fixedMs <= 10_000
                    && perFrameMs <= 10_000)) {
                throw new IllegalArgumentException("--stand-in costs must be 0..10000 ms and not both 0, got "
                        + fixedMs + "," + perFrameMs);
            }
        }

        /** "FIXED_MS,PER_FRAME_MS", e.g. "8,0.25". */
        public static Cost parse(String text) {
            String[] parts = text.split(",");
            try {
                if (parts.length == 2) {
                    return new Cost(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--stand-in must be FIXED_MS,PER_FRAME_MS, e.g. 8,0.25; got '" + text
                    + "'");
        }

        long nanos(int frames) {
            return Math.round((fixedMs + perFrameMs * frames) * 1e6);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "stand-in %.2f ms + %.2f ms/frame", fixedMs, perFrameMs);
        }
    }

    /** What {@link #executionProvider()} answers: no ONNX Runtime provider runs. */
    public static final String PROVIDER = "stand-in";

    private final ModelCard card;
    private final Preprocessor preprocessor;
    private final DynamicBatcher batcher;

    /** @param like the model whose input (size, normalisation) the stand-in takes */
    public StandInDetector(ModelCard like, Cost cost, RuntimeConfig runtime) {
        card = new ModelCard("stand-in", "0", cost.toString(), ModelCard.Task.DETECTION, 0, like.input(), List.of(),
                null, null, List.of(), new ModelCard.WeightsProvenance(false, "stand-in", null, null, null,
                "a stand-in with a GPU-like cost per batch; no network, detects nothing"));
        preprocessor = new Preprocessor(like.input(), runtime.maxBatch() * 4);
        batcher = new DynamicBatcher(card.name(), (input, rows) -> {
            TimeUnit.NANOSECONDS.sleep(cost.nanos(rows));
            return Map.of();
        }, preprocessor.rowFloats(), runtime);
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public String executionProvider() {
        return PROVIDER;
    }

    @Override
    public CompletableFuture<DetectionResult> submit(DecodedImage image) {
        PreparedInput input = preprocessor.prepare(image);
        float preprocessMs = input.preprocessMs();
        return batcher.submit(input).thenApply(row -> new DetectionResult(List.of(),
                new StageTimings(preprocessMs, row.queueMs(), row.runMs(), 0, row.batchSize())));
    }

    @Override
    public DetectionResult predict(DecodedImage image) throws InferenceException {
        try {
            return submit(image).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof InferenceException ie ? ie
                    : new InferenceException(InferenceException.Reason.MODEL_ERROR, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException(InferenceException.Reason.MODEL_ERROR, "interrupted");
        }
    }

    @Override
    public BatcherMetrics metrics() {
        return batcher.metrics();
    }

    @Override
    public void close() {
        batcher.close();
    }
}
