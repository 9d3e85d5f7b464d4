package io.emostream.bench;

import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.emo.ModelZoo;
import io.emostream.models.runtime.ModelLoadException;
import io.emostream.models.runtime.Predictor;
import io.emostream.models.Predictors;
import io.emostream.models.runtime.RuntimeConfig;
import io.emostream.models.runtime.StageTimings;
import io.emostream.models.segmentation.SegmentationResult;

import java.io.IOException;
import java.nio.file.Path;

/** The model under test: a built-in name (built into the model cache on first use) or an .onnx file with its card. */
public record BenchModel(String name, Path onnx, ModelCard card) {

    /** @throws IllegalArgumentException when the name is neither a built-in model nor a file */
    public static BenchModel resolve(String nameOrPath) throws IOException {
        Path onnx = new ModelZoo().resolve(nameOrPath);
        ModelCard card = ModelCard.read(ModelCard.cardPathFor(onnx));
        return new BenchModel(card.name(), onnx, card);
    }

    public boolean detection() {
        return card.task() == ModelCard.Task.DETECTION;
    }

    /** A predictor of its own (not shared), so that its batcher's counters belong to one measurement. */
    public Predictor<?> predictor(RuntimeConfig config) throws ModelLoadException {
        return detection() ? Predictors.detector(onnx, config) : Predictors.segmenter(onnx, config);
    }

    /** Where one request's time went, whatever the result type. */
    public static StageTimings timings(Object result) {
        if (result instanceof DetectionResult d) {
            return d.timings();
        }
        if (result instanceof SegmentationResult s) {
            return s.timings();
        }
        throw new IllegalArgumentException("not a model result: " + result);
    }
}
