package io.emostream.models.runtime;

import io.emostream.models.card.ModelCard;
import io.emostream.models.fixtures.Cards;
import io.emostream.models.fixtures.OnnxFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionWarmUpTest {
    private static final ModelCard.InputSpec SPEC = Cards.input(4, 4, ModelCard.Resize.STRETCH);

    @TempDir
    Path dir;

    @Test
    void aRealCpuSessionRunsOnceAtEachWarmUpBatchSizeWithOutputsOfThatBatch() throws Exception {
        Path onnx = OnnxFixtures.sqrtOfInputMinusOne(dir.resolve("sqrt.onnx"), 4, 4);
        RuntimeConfig config = RuntimeConfig.builder().provider(ExecutionProvider.CPU).maxBatch(8)
                .warmupBatchSizes(List.of(1, 3, 8)).build();
        List<long[]> shapes = new ArrayList<>();
        try (ModelSession session = ModelSession.open(onnx, "x", SPEC.shape(), config)) {
            BatchRunner recording = (input, rows) -> {
                Map<String, BatchRunner.Tensor> out = session.run(input, rows);
                shapes.add(out.get("y").shape());
                return out;
            };
            assertEquals(List.of(1, 3, 8), SessionWarmUp.run("sqrt", recording, 3 * 4 * 4,
                    session.config().warmupSizes()));
        }
        assertEquals(List.of(1L, 3L, 8L), shapes.stream().map(s -> s[0]).toList());
    }

    @Test
    void aFailingCallOrAnAnswerForAnotherBatchSizeFailsTheWarmUpNamingTheModelAndTheBatch() {
        InferenceException failed = assertThrows(InferenceException.class, () -> SessionWarmUp.run("m",
                (input, rows) -> { throw new IllegalStateException("out of memory"); }, 4, List.of(1, 2)));
        assertEquals("warm-up of model m at batch size 1 failed: out of memory", failed.getMessage());
        InferenceException wrong = assertThrows(InferenceException.class, () -> SessionWarmUp.run("m",
                (input, rows) -> Map.of("y", new BatchRunner.Tensor(new float[4], new long[] {1, 4})), 4,
                List.of(1, 2)));
        assertTrue(wrong.getMessage().contains("'y' has no batch dimension of 2"), wrong.getMessage());
    }

    @Test
    void aPredictorWarmsUpOnceHoweverOftenItIsAsked() throws Exception {
        Path onnx = OnnxFixtures.sqrtOfInputMinusOne(dir.resolve("sqrt.onnx"), 4, 4);
        RuntimeConfig config = RuntimeConfig.builder().provider(ExecutionProvider.CPU).build();
        ModelSession session = ModelSession.open(onnx, "x", SPEC.shape(), config); // the predictor closes it
        try (BatchedPredictor<float[], float[]> predictor = new BatchedPredictor<>(Cards.detection("sqrt", SPEC,
                null, List.of("y")), session, config, (row, mapping) -> row.values("y"), (p, t) -> p)) {
            var first = predictor.warmUp();
            first.get();
            assertSame(first, predictor.warmUp(), "one warm-up per predictor");
        }
    }
}
