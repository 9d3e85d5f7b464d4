package io.emostream.models.emo;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.emostream.models.card.ModelCard;
import io.emostream.models.card.ModelCard.OutputSpec;
import io.emostream.models.card.ModelCard.Task;
import io.emostream.models.detection.GridAnchorGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Built graphs run in ONNX Runtime with the shapes their cards document, and batching changes nothing. */
class BuiltModelRunTest {
    private static final long SEED = 7;
    private final EmoModelBuilder builder = new EmoModelBuilder();

    @TempDir
    Path dir;

    private BuiltModel build(ModelSpec spec) throws IOException {
        return builder.build(spec, builder.initialise(spec, SEED), ModelCard.WeightsProvenance.seeded(SEED), dir);
    }

    @ParameterizedTest
    @EnumSource(Task.class)
    void emo1mRunsAtBatchOneAndFourAndBatchFourEqualsFourCopiesOfBatchOne(Task task) throws Exception {
        BuiltModel model = build(ModelSpec.defaults(EmoArch.EMO_1M, task));
        ModelCard card = ModelCard.read(model.cardFile());
        long[] inShape = card.input().shape().clone();
        inShape[0] = 1;
        float[] image = OrtSupport.randomInput(inShape, 1);
        try (OrtSession session = OrtSupport.open(model.onnxFile())) {
            Map<String, OrtSupport.Output> one = OrtSupport.run(session, image, inShape, 1);
            Map<String, OrtSupport.Output> four = OrtSupport.run(session, image, inShape, 4);
            assertEquals(card.outputs().size(), one.size());
            for (OutputSpec spec : card.outputs()) {
                OrtSupport.Output o1 = one.get(spec.name()), o4 = four.get(spec.name());
                assertArrayEquals(withBatch(spec.shape(), 1), o1.shape(), spec.name());
                assertArrayEquals(withBatch(spec.shape(), 4), o4.shape(), spec.name());
                for (int b = 0; b < 4; b++) {
                    float[] slice = Arrays.copyOfRange(o4.data(), b * o1.data().length, (b + 1) * o1.data().length);
                    assertClose(o1.data(), slice, spec.name() + " item " + b);
                }
            }
            if (task == Task.DETECTION) {
                assertEquals(3234, one.get("scores").shape()[1]);
                assertEquals(81, one.get("scores").shape()[2]);
                float[] scores = one.get("scores").data();
                for (int a = 0; a < 3234; a += 97) {
                    double sum = 0;
                    for (int c = 0; c < 81; c++) sum += scores[a * 81 + c];
                    assertEquals(1.0, sum, 1e-4, "softmax row " + a);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "emo-2m, DETECTION", "emo-5m, DETECTION", "emo-2m, SEGMENTATION", "emo-5m, SEGMENTATION",
            "emo-2m, CLASSIFICATION", "emo-5m, CLASSIFICATION", "emo-6m, CLASSIFICATION"})
    void largerModelsRunWithTheirDocumentedShapes(String arch, Task task) throws Exception {
        BuiltModel model = build(ModelSpec.defaults(EmoArch.parse(arch), task));
        long[] inShape = withBatch(model.card().input().shape(), 2);
        try (OrtSession session = OrtSupport.open(model.onnxFile())) {
            Map<String, OrtSupport.Output> out = OrtSupport.run(session,
                    OrtSupport.randomInput(withBatch(inShape, 1), 2), withBatch(inShape, 1), 2);
            for (OutputSpec spec : model.card().outputs()) {
                assertArrayEquals(withBatch(spec.shape(), 2), out.get(spec.name()).shape(), spec.name());
            }
        }
    }

    /** EMO-1M only, RetinaNet at 128 (its default 800 costs seconds per image on a CPU), PSPNet at its 512. */
    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({"RETINANET, 128", "PSPNET, 512"})
    void retinaNetAndPspNetRunWithTheirDocumentedShapesAndBatchingChangesNothing(Head head, int size)
            throws Exception {
        BuiltModel model = build(ModelSpec.defaults(EmoArch.EMO_1M, head).withInputSize(size));
        ModelCard card = model.card();
        long[] inShape = withBatch(card.input().shape(), 1);
        float[] image = OrtSupport.randomInput(inShape, 5);
        try (OrtSession session = OrtSupport.open(model.onnxFile())) {
            Map<String, OrtSupport.Output> one = OrtSupport.run(session, image, inShape, 1);
            Map<String, OrtSupport.Output> two = OrtSupport.run(session, image, inShape, 2);
            for (OutputSpec spec : card.outputs()) {
                assertArrayEquals(withBatch(spec.shape(), 2), two.get(spec.name()).shape(), spec.name());
                float[] second = Arrays.copyOfRange(two.get(spec.name()).data(), one.get(spec.name()).data().length,
                        two.get(spec.name()).data().length);
                assertClose(one.get(spec.name()).data(), second, spec.name());
            }
        }
        if (head == Head.RETINANET) {
            // 16x16, 8x8, 4x4, 2x2 and 1x1 locations of 9 anchors, as the card's anchor grid makes them
            long anchors = 9 * (256 + 64 + 16 + 4 + 1);
            assertArrayEquals(new long[] {-1, anchors, 80}, card.outputs().get(0).shape());
            assertEquals(anchors, GridAnchorGenerator.levelStarts(card.detection().anchorGrid(), size, size)[5]);
            assertEquals(ModelCard.DetectionFormat.RETINANET_RAW, card.detection().format());
            assertEquals(-1, card.detection().backgroundIndex());
        } else {
            assertArrayEquals(new long[] {-1, 150, 16, 16}, card.outputs().get(0).shape());
            assertEquals(4_151_342L, card.parameters());
        }
    }

    @ParameterizedTest
    @EnumSource(EmoArch.class)
    void seededFeaturesNeitherVanishNorExplodeThroughAllBlocks(EmoArch arch) throws Exception {
        BuiltModel model = build(ModelSpec.backbone(arch));
        long[] inShape = withBatch(model.card().input().shape(), 1);
        float[] image = OrtSupport.randomInput(inShape, 3);
        try (OrtSession session = OrtSupport.open(model.onnxFile())) {
            float[] features = OrtSupport.run(session, image, inShape, 1).get("features").data();
            double std = OrtSupport.std(features);
            assertTrue(std > 0.2 && std < 5, arch + " stage-4 feature std " + std);
        }
    }

    @Test
    void sameSeedGivesTheSameWeightsAndAnotherSeedDoesNot() {
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, Task.DETECTION);
        String name = "stage3.1.qk.conv.weight";
        assertArrayEquals(builder.initialise(spec, 1).data(name), builder.initialise(spec, 1).data(name));
        assertTrue(!Arrays.equals(builder.initialise(spec, 1).data(name), builder.initialise(spec, 2).data(name)));
    }

    @Test
    void buildingEmo1mSsdliteWritesTheModelAndItsCard() throws Exception {
        BuiltModel model = build(ModelSpec.defaults(EmoArch.EMO_1M, Task.DETECTION));
        assertTrue(Files.size(model.onnxFile()) > 4 * 2_311_980L);
        ModelCard card = ModelCard.read(model.cardFile());
        assertEquals("emo-1m-ssdlite", card.name());
        assertEquals(2_311_980L, card.parameters());
        assertEquals(80, card.labels().size());
        assertEquals(3234, card.detection().anchors().total());
        assertEquals(80, card.detection().backgroundIndex());
        assertTrue(card.untrained());
    }

    private static long[] withBatch(long[] shape, long batch) {
        long[] s = shape.clone();
        s[0] = batch;
        return s;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            float tol = 1e-4f + 1e-4f * Math.abs(expected[i]);
            if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError(what + " differs at " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
    }
}
