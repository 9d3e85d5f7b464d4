package io.emostream.models.card;

import io.emostream.models.Predictors;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.emo.BuiltModel;
import io.emostream.models.emo.EmoArch;
import io.emostream.models.emo.EmoModelBuilder;
import io.emostream.models.emo.ModelSpec;
import io.emostream.models.runtime.ExecutionProvider;
import io.emostream.models.runtime.ModelLoadException;
import io.emostream.models.runtime.Predictor;
import io.emostream.models.runtime.RuntimeConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The card pins the ONNX file it was written with; a file changed since is refused at load. */
class OnnxIntegrityTest {
    private static final RuntimeConfig CPU = RuntimeConfig.builder().provider(ExecutionProvider.CPU).build();

    @TempDir
    static Path built;

    private static BuiltModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildOnce() throws Exception {
        EmoModelBuilder builder = new EmoModelBuilder();
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, ModelCard.Task.DETECTION);
        model = builder.build(spec, builder.initialise(spec, 7), ModelCard.WeightsProvenance.seeded(7), built);
    }

    /** A private copy of the built model and its card, free to damage. */
    private Path copy() throws Exception {
        Path onnx = Files.copy(model.onnxFile(), dir.resolve(model.onnxFile().getFileName()));
        Files.copy(model.cardFile(), ModelCard.cardPathFor(onnx));
        return onnx;
    }

    @Test
    void theBuilderRecordsTheSha256OfTheOnnxFileItWrote() throws Exception {
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model.onnxFile())));
        assertEquals(expected, ModelCard.read(model.cardFile()).onnxSha256());
        assertEquals(expected, Sha256.of(model.onnxFile()));
    }

    @Test
    void anIntactModelLoads() throws Exception {
        try (Predictor<DetectionResult> detector = Predictors.detector(copy(), CPU)) {
            assertNotNull(detector.card());
        }
    }

    @Test
    void aModelFileChangedAfterItsCardWasWrittenIsRefusedNamingTheFileBothHashesAndTheFix() throws Exception {
        Path onnx = copy();
        String recorded = ModelCard.read(ModelCard.cardPathFor(onnx)).onnxSha256();
        Files.write(onnx, new byte[]{0}, StandardOpenOption.APPEND);

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Predictors.detector(onnx, CPU));
        String message = e.getMessage();
        assertTrue(message.contains(onnx.toString()), message);
        assertTrue(message.contains("expected SHA-256 " + recorded), message);
        assertTrue(message.contains("actual " + Sha256.of(onnx)), message);
        assertTrue(message.contains("rebuild") && message.contains("re-import"), message);
    }

    @Test
    void aCardWrittenBeforeHashesWereRecordedStillLoads() throws Exception {
        Path onnx = copy();
        Path cardFile = ModelCard.cardPathFor(onnx);
        ModelCard.read(cardFile).withOnnxSha256(null).write(cardFile);
        assertTrue(Files.readString(cardFile).indexOf("onnxSha256") < 0, "older cards have no such field");
        assertNull(ModelCard.read(cardFile).onnxSha256());

        try (Predictor<DetectionResult> detector = Predictors.detector(onnx, CPU)) {
            assertEquals(model.card().name(), detector.card().name());
        }
    }
}
