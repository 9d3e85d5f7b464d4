package io.emostream.cli.e2e;

import io.emostream.models.card.ModelCard;
import io.emostream.models.emo.EmoArch;
import io.emostream.models.emo.EmoModelBuilder;
import io.emostream.models.emo.ModelSpec;
import io.emostream.topology.EmoStreamConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Real EMO-1M SSDLite and DeepLabv3 graphs with seeded weights, built once per test JVM at a reduced input size to
 * keep CPU time modest (the architecture is the built-in one; only the input side differs).
 */
public final class TestModels {
    static final int DETECTION_INPUT = 160;
    static final int SEGMENTATION_INPUT = 128;
    private static Map<String, String> settings;

    private TestModels() { }

    public static synchronized Map<String, String> settings() {
        if (settings == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "test-models"));
                settings = Map.of(
                        EmoStreamConfig.DETECTION_MODEL, build(ModelSpec.defaults(EmoArch.EMO_1M,
                                ModelCard.Task.DETECTION).withInputSize(DETECTION_INPUT), dir).toString(),
                        EmoStreamConfig.SEGMENTATION_MODEL, build(ModelSpec.defaults(EmoArch.EMO_1M,
                                ModelCard.Task.SEGMENTATION).withInputSize(SEGMENTATION_INPUT), dir).toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return settings;
    }

    private static Path build(ModelSpec spec, Path dir) throws IOException {
        Path onnx = dir.resolve(spec.name() + ".onnx");
        if (Files.isRegularFile(onnx) && Files.isRegularFile(ModelCard.cardPathFor(onnx))) return onnx;
        EmoModelBuilder builder = new EmoModelBuilder();
        return builder.build(spec, builder.initialise(spec, 0), ModelCard.WeightsProvenance.seeded(0), dir)
                .onnxFile();
    }
}
