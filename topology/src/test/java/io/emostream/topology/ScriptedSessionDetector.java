package io.emostream.topology;

import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.fixtures.Cards;
import io.emostream.models.fixtures.StandInPredictor;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.runtime.BatchRunner;
import io.emostream.models.runtime.DynamicBatcher;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.Preprocessor;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.models.runtime.StageTimings;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A detector made of the runtime's own {@link Preprocessor} and {@link DynamicBatcher} around a scripted session
 * call, for tests of what the processor makes of the runtime's failures: whatever the script does (NaN outputs, an
 * exception, outputs under other names, no return), the failure reaches the processor as the runtime reports it.
 * Answers carry no detections; the decoding step only reads the output {@value #OUTPUT}, as a real decoder would.
 */
final class ScriptedSessionDetector extends StandInPredictor<DetectionResult> {
    static final String OUTPUT = "scores";
    private static final ModelCard.InputSpec INPUT = Cards.input(4, 4, ModelCard.Resize.STRETCH);
    private static final ModelCard CARD = new ModelCard("scripted-ssd", "0.0.1", "test double",
            ModelCard.Task.DETECTION, 0, INPUT, List.of(), null, null, List.of("person"),
            ModelCard.WeightsProvenance.seeded(7));
    private final Preprocessor preprocessor = new Preprocessor(INPUT, 4);
    private final DynamicBatcher batcher;

    /** @param session the session call the batcher makes for each batch */
    ScriptedSessionDetector(BatchRunner session) {
        super(CARD);
        batcher = new DynamicBatcher(CARD.name(), session, preprocessor.rowFloats(), RuntimeConfig.defaults());
    }

    /** A session call that returns {@code output}, two values per row, every one {@code value}. */
    static BatchRunner answering(String output, float value) {
        return (input, rows) -> {
            float[] data = new float[rows * 2];
            Arrays.fill(data, value);
            return Map.of(output, new BatchRunner.Tensor(data, new long[] {rows, 2}));
        };
    }

    @Override
    public CompletableFuture<DetectionResult> submit(DecodedImage image) {
        return batcher.submit(preprocessor.prepare(image)).thenApply(row -> {
            try {
                row.values(OUTPUT);
            } catch (InferenceException e) {
                throw new CompletionException(e);
            }
            return new DetectionResult(List.of(),
                    new StageTimings(0, row.queueMs(), row.runMs(), 0, row.batchSize()));
        });
    }

    @Override
    public DetectionResult predict(DecodedImage image) {
        throw new UnsupportedOperationException("the frame processor only submits");
    }

    @Override
    public void close() {
        batcher.close();
    }
}
