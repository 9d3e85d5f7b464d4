package io.emostream.models.runtime;

import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.fixtures.Cards;
import io.emostream.models.fixtures.Images;
import io.emostream.models.fixtures.OnnxFixtures;
import io.emostream.models.image.MatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedPredictorTest {
    @TempDir
    Path dir;

    @Test
    void usersOfOneModelShareOneBatcherUntilTheLastHandleCloses() throws Exception {
        Map<String, OnnxFixtures.Constant> outputs = OnnxFixtures.outputs();
        outputs.put("dets", OnnxFixtures.Constant.floats(new float[] {1, 2, 3, 4, 0.9f}, 1, 5));
        outputs.put("labels", OnnxFixtures.Constant.longs(new float[] {0}, 1));
        Path onnx = OnnxFixtures.constantOutputs(dir.resolve("shared.onnx"), 8, 8, outputs);
        Cards.writeBeside(onnx, Cards.detection("shared", Cards.input(8, 8, ModelCard.Resize.STRETCH),
                new ModelCard.DetectionSpec(ModelCard.DetectionFormat.POST_NMS, "dets", "labels", -1, null, null,
                        0.1f, 10, 0.5f, 10), List.of("thing")));
        RuntimeConfig config = RuntimeConfig.defaults().withProvider(ExecutionProvider.CPU).withMaxWaitMs(1);

        SharedPredictor<DetectionResult> a = Predictors.sharedDetector(onnx, config);
        SharedPredictor<DetectionResult> b = Predictors.sharedDetector(onnx, config);
        try (MatImage frame = Images.uniform(8, 8, 1, 1, 1)) {
            a.predict(frame);
            b.predict(frame);
            assertEquals(2, a.metrics().requests()); // one batcher saw both
            a.close();
            a.close(); // harmless
            assertThrows(IllegalStateException.class, () -> a.predict(frame));
            assertEquals(1, b.predict(frame).detections().size());
            b.close();
            try (SharedPredictor<DetectionResult> c = Predictors.sharedDetector(onnx, config)) {
                c.predict(frame);
                assertEquals(1, c.metrics().requests()); // the last close released the old one; this is fresh
            }
        }
    }

    @Test
    void aFailingFactoryRegistersNothing() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Predictors.sharedDetector(dir.resolve("missing.onnx"), RuntimeConfig.defaults()));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }
}
