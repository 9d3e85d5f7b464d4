package io.emostream.models.detection;

import io.emostream.models.card.ModelCard;
import io.emostream.models.fixtures.Cards;
import io.emostream.models.fixtures.Images;
import io.emostream.models.fixtures.OnnxFixtures;
import io.emostream.models.fixtures.OnnxFixtures.Constant;
import io.emostream.models.image.MatImage;
import io.emostream.models.runtime.ExecutionProvider;
import io.emostream.models.runtime.ModelLoadException;
import io.emostream.models.runtime.Predictor;
import io.emostream.models.Predictors;
import io.emostream.models.runtime.RuntimeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Real ONNX Runtime sessions on graphs that emit known constants; the expected boxes are worked out by hand from the
 * anchor and delta formulas (see comments), then mapped to a 128x64 frame.
 */
class DetectionPredictorTest {
    private static final RuntimeConfig CPU =
            RuntimeConfig.builder().provider(ExecutionProvider.CPU).maxWaitMs(1).build();
    private static final List<String> LABELS = List.of("person", "car");
    private static final float LN2 = (float) Math.log(2);

    @TempDir
    Path dir;

    /**
     * 64x64 input, one 2x2 level of stride 32 with min 16, max 36 (sqrt = 24) and ratio 2: 3 anchors per location,
     * 12 in all. Anchor 0: 16x16 at (16, 16); anchor 2: 11.31x22.63 at (16, 16); anchor 10: 24x24 at (48, 48).
     */
    private static ModelCard.DetectionSpec ssdSpec() {
        ModelCard.AnchorSpec anchors = new ModelCard.AnchorSpec(64,
                List.of(new ModelCard.AnchorLevel(2, 32, 16, 36, new float[] {2})));
        return new ModelCard.DetectionSpec(ModelCard.DetectionFormat.SSD_RAW, "scores", "deltas", 2, anchors,
                new float[] {0.1f, 0.1f, 0.2f, 0.2f}, 0.3f, 100, 0.45f, 10);
    }

    private Path ssdModel(ModelCard.Resize resize) throws Exception {
        float[] scores = new float[12 * 3];
        for (int a = 0; a < 12; a++) {
            scores[3 * a + 2] = 1; // background
        }
        float[] deltas = new float[12 * 4];
        scores[0] = 0.9f;                         // anchor 0, person
        deltas[0] = 1; deltas[1] = 0.5f;          // cx = 16 + 1*0.1*16 = 17.6, cy = 16 + 0.5*0.1*16 = 16.8
        scores[3 * 2] = 0.8f;                     // anchor 2, person: IoU 0.55 with anchor 0's box -> suppressed
        scores[3 * 2 + 1] = 0.7f;                 // anchor 2, car: another class -> kept
        scores[3 * 10 + 1] = 0.6f;                // anchor 10, car
        deltas[4 * 10 + 2] = LN2 / 0.2f;          // w = 24 * 2 = 48: x 24..72, clipped to 64
        scores[3 * 5] = 0.01f;                    // under the threshold
        Map<String, Constant> outputs = OnnxFixtures.outputs();
        outputs.put("scores", Constant.floats(scores, 12, 3));
        outputs.put("deltas", Constant.floats(deltas, 12, 4));
        Path onnx = OnnxFixtures.constantOutputs(dir.resolve("ssd-" + resize + ".onnx"), 64, 64, outputs);
        return Cards.writeBeside(onnx, Cards.detection("ssd", Cards.input(64, 64, resize), ssdSpec(), LABELS));
    }

    private static void assertBox(Detection d, int classId, float score, float x1, float y1, float x2, float y2) {
        assertEquals(classId, d.classId());
        assertEquals(LABELS.get(classId), d.label());
        assertEquals(score, d.score(), 1e-6f);
        assertEquals(x1, d.x1(), 1f);
        assertEquals(y1, d.y1(), 1f);
        assertEquals(x2, d.x2(), 1f);
        assertEquals(y2, d.y2(), 1f);
        assertEquals(d.x1() / 128, d.nx1(), 1e-6f);
        assertEquals(d.y2() / 64, d.ny2(), 1e-6f);
    }

    /** Per resize, the raw-SSD fixture's three boxes in frame pixels: class id, score, x1, y1, x2, y2. */
    static Stream<Arguments> rawSsdFrameBoxes() {
        return Stream.of(
                // input box (9.6, 8.8, 25.6, 24.8); the frame is 2x wider than the input;
                // anchor 2 undecoded: (10.34, 4.69, 21.66, 27.31)
                arguments(ModelCard.Resize.STRETCH, new float[][] {
                        {0, 0.9f, 19.2f, 8.8f, 51.2f, 24.8f}, {1, 0.7f, 20.69f, 4.69f, 43.31f, 27.31f},
                        {1, 0.6f, 48f, 36f, 128f, 60f}}),
                // scale 0.5, content 64x32 padded 16 above: frame = (x / 0.5, (y - 16) / 0.5), clipped to 128x64
                arguments(ModelCard.Resize.LETTERBOX, new float[][] {
                        {0, 0.9f, 19.2f, 0f, 51.2f, 17.6f}, {1, 0.7f, 20.69f, 0f, 43.31f, 22.63f},
                        {1, 0.6f, 48f, 40f, 128f, 64f}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawSsdFrameBoxes")
    void rawSsdOutputsDecodeToFrameBoxesUndoingTheResizeAndClipped(ModelCard.Resize resize, float[][] expected)
            throws Exception {
        try (Predictor<DetectionResult> p = Predictors.detector(ssdModel(resize), CPU);
             MatImage frame = Images.uniform(128, 64, 50, 60, 70)) {
            List<Detection> d = p.predict(frame).detections();
            assertEquals(expected.length, d.size(), d.toString());
            for (int i = 0; i < expected.length; i++) {
                float[] e = expected[i];
                assertBox(d.get(i), (int) e[0], e[1], e[2], e[3], e[4], e[5]);
            }
        }
    }

    /**
     * A 64x64 graph with constant RetinaNet outputs for five anchors and two classes, and its card: mmdetection
     * anchors of strides 32 and 64, one scale and ratio 1; score above 0.05, NMS IoU 0.5.
     */
    private Path retinaNetFixture(String name, float[] scores, float[] deltas, int topKPerLevel,
                                  ModelCard.InputSpec input) throws Exception {
        Map<String, Constant> outputs = OnnxFixtures.outputs();
        outputs.put("scores", Constant.floats(scores, 5, 2));
        outputs.put("deltas", Constant.floats(deltas, 5, 4));
        Path onnx = OnnxFixtures.constantOutputs(dir.resolve(name + ".onnx"), 64, 64, outputs);
        ModelCard.DetectionSpec spec = new ModelCard.DetectionSpec(ModelCard.DetectionFormat.RETINANET_RAW, "scores",
                "deltas", -1, null, new float[] {1, 1, 1, 1}, 0.05f, topKPerLevel, 0.5f, 100,
                new ModelCard.GridAnchorSpec(new float[] {32, 64}, 1, 1, new float[] {1}, 0));
        Cards.writeBeside(onnx, Cards.detection(name, input, spec, LABELS));
        return onnx;
    }

    /**
     * RetinaNet's contract on a 64x64 input: mmdetection anchors of strides 32 and 64, one scale and ratio 1, so one
     * anchor per location, centred on the grid points (offset 0): level 0 is 32x32 boxes at (0, 0), (32, 0), (0, 32),
     * (32, 32); level 1 one 64x64 box at (0, 0). Sigmoid scores for two classes, no background; top 1 per level.
     */
    @Test
    void retinaNetOutputsDecodeAgainstGridAnchorsKeepingTheBestPairsPerLevel() throws Exception {
        float[] scores = new float[5 * 2];
        float[] deltas = new float[5 * 4];
        scores[2 * 3] = 0.9f;                     // anchor 3, person
        deltas[4 * 3] = 0.25f;                    // cx = 32 + 0.25 * 32 = 40
        deltas[4 * 3 + 2] = LN2;                  // w = 64: x 8..72, clipped to 64; y 16..48
        scores[2 * 1 + 1] = 0.8f;                 // anchor 1, car: second pair of level 0, beyond its top 1
        scores[2 * 4 + 1] = 0.7f;                 // anchor 4 (level 1), car: x -32..32 clipped to 0..32
        deltas[4 * 4 + 3] = -100;                 // dh clamped to -log(1000/16): h = 64 * 0.016 = 1.024
        scores[0] = 0.04f;                        // anchor 0, person: under the threshold 0.05
        Path onnx = retinaNetFixture("retinanet", scores, deltas, 1, Cards.input(64, 64, ModelCard.Resize.STRETCH));
        try (Predictor<DetectionResult> p = Predictors.detector(onnx, CPU);
             MatImage frame = Images.uniform(128, 64, 50, 60, 70)) {
            List<Detection> d = p.predict(frame).detections();
            assertEquals(2, d.size(), d.toString());
            assertBox(d.get(0), 0, 0.9f, 16, 16, 128, 48);
            assertBox(d.get(1), 1, 0.7f, 0, 0, 64, 0.5f);
            assertEquals(0.512f, d.get(1).y2(), 1e-3f);
        }
    }

    /**
     * With FIT and divisor padding, boxes are clipped to the frame's content before NMS, as mmdetection clips to
     * img_shape: a 128x64 frame fits within (64, 32) at scale 0.5 (64x32 content), padded to the 64x64 graph. Two
     * person boxes on level 0: A (0, 0)-(16, 24) at 0.9, B (0, -48)-(16, 80) at 0.8. B clipped to the content is
     * (0, 0)-(16, 32), IoU with A 0.75: suppressed; clipped to the padded input it would be (0, 0)-(16, 64), IoU 0.375.
     */
    @Test
    void fitBoxesAreClippedToTheContentNotThePaddingBeforeNms() throws Exception {
        float[] scores = new float[5 * 2];
        float[] deltas = new float[5 * 4];
        scores[0] = 0.9f;                                   // anchor 0 at (0, 0), 32x32: A
        deltas[1] = 0.375f;                                 // cy = 12
        deltas[3] = (float) Math.log(0.75);                 // h = 24
        scores[2 * 2] = 0.8f;                               // anchor 2 at (0, 32): B
        deltas[4 * 2 + 1] = -0.5f;                          // cy = 16
        deltas[4 * 2 + 3] = (float) Math.log(4);            // h = 128
        ModelCard.InputSpec plain = Cards.input(64, 64, ModelCard.Resize.FIT);
        ModelCard.InputSpec fit = new ModelCard.InputSpec(plain.name(), plain.shape(), plain.layout(),
                plain.colorOrder(), plain.mean(), plain.std(), ModelCard.Resize.FIT, 0, new int[] {64, 32},
                new ModelCard.DivisorPad(64, 0));
        Path onnx = retinaNetFixture("retinanet-fit", scores, deltas, 10, fit);
        try (Predictor<DetectionResult> p = Predictors.detector(onnx, CPU);
             MatImage frame = Images.uniform(128, 64, 50, 60, 70)) {
            List<Detection> d = p.predict(frame).detections();
            assertEquals(1, d.size(), d.toString());
            assertBox(d.get(0), 0, 0.9f, 0, 0, 32, 48);
        }
    }

    @Test
    void postNmsContractSkipsPaddingAndLowScoresAndMapsBoxes() throws Exception {
        Map<String, Constant> outputs = OnnxFixtures.outputs();
        outputs.put("dets", Constant.floats(new float[] {
                10, 20, 30, 40, 0.9f,
                0, 0, 64, 64, 0.2f,
                5, 5, 6, 6, 0.8f}, 3, 5));
        outputs.put("labels", Constant.longs(new float[] {1, 0, -1}, 3));
        Path onnx = OnnxFixtures.constantOutputs(dir.resolve("postnms.onnx"), 64, 64, outputs);
        ModelCard.DetectionSpec spec = new ModelCard.DetectionSpec(ModelCard.DetectionFormat.POST_NMS, "dets", "labels",
                -1, null, null, 0.3f, 100, 0.45f, 10);
        Cards.writeBeside(onnx, Cards.detection("postnms", Cards.input(64, 64, ModelCard.Resize.STRETCH), spec, LABELS));
        try (Predictor<DetectionResult> p = Predictors.detector(onnx, CPU);
             MatImage frame = Images.uniform(128, 64, 1, 2, 3)) {
            DetectionResult result = p.predict(frame);
            assertEquals(1, result.detections().size(), result.detections().toString());
            assertBox(result.detections().get(0), 1, 0.9f, 20, 20, 60, 40);
            assertEquals(1, result.timings().batchSize());
        }
    }

    @Test
    void startUpFailsClearlyWhenTheCardIsMissingOrDoesNotMatchTheGraph() throws Exception {
        Path onnx = ssdModel(ModelCard.Resize.STRETCH);
        java.nio.file.Files.delete(ModelCard.cardPathFor(onnx));
        ModelLoadException missing = assertThrows(ModelLoadException.class, () -> Predictors.detector(onnx, CPU));
        assertTrue(missing.getMessage().contains("card") && missing.getMessage().contains("not found"),
                missing.getMessage());

        ModelCard.InputSpec wrongName = new ModelCard.InputSpec("image", new long[] {-1, 3, 64, 64}, "NCHW", "RGB",
                null, null, ModelCard.Resize.STRETCH, 0);
        Cards.writeBeside(onnx, Cards.detection("ssd", wrongName, ssdSpec(), LABELS));
        ModelLoadException name = assertThrows(ModelLoadException.class, () -> Predictors.detector(onnx, CPU));
        assertTrue(name.getMessage().contains("no input 'image'"), name.getMessage());

        ModelCard.DetectionSpec moreAnchors = new ModelCard.DetectionSpec(ModelCard.DetectionFormat.SSD_RAW, "scores",
                "deltas", 2, new ModelCard.AnchorSpec(64, List.of(new ModelCard.AnchorLevel(4, 16, 16, 36,
                new float[] {2}))), new float[] {0.1f, 0.1f, 0.2f, 0.2f}, 0.3f, 100, 0.45f, 10);
        Cards.writeBeside(onnx, Cards.detection("ssd", Cards.input(64, 64, ModelCard.Resize.STRETCH), moreAnchors, LABELS));
        ModelLoadException anchors = assertThrows(ModelLoadException.class, () -> Predictors.detector(onnx, CPU));
        assertTrue(anchors.getMessage().contains("12 anchors") && anchors.getMessage().contains("48"),
                anchors.getMessage());

        Cards.writeBeside(onnx, Cards.segmentation("ssd", Cards.input(64, 64, ModelCard.Resize.STRETCH),
                new ModelCard.SegmentationSpec(ModelCard.SegmentationFormat.LOGITS, "scores", 0), LABELS));
        ModelLoadException task = assertThrows(ModelLoadException.class, () -> Predictors.detector(onnx, CPU));
        assertTrue(task.getMessage().contains("SEGMENTATION"), task.getMessage());
    }

    @Test
    void requiredCudaEitherLoadsOrFailsSayingWhatToInstall() throws Exception {
        Path onnx = ssdModel(ModelCard.Resize.STRETCH);
        try (Predictor<DetectionResult> p =
                Predictors.detector(onnx, CPU.toBuilder().provider(ExecutionProvider.CUDA).build())) {
            assertEquals("cuda", p.executionProvider()); // a machine with a GPU
        } catch (ModelLoadException e) {
            assertTrue(e.getMessage().contains("cuda cannot load") && e.getMessage().contains("cuDNN 9"), e.getMessage());
        }
        try (Predictor<DetectionResult> p =
                Predictors.detector(onnx, CPU.toBuilder().provider(ExecutionProvider.AUTO).build())) {
            assertTrue(List.of("cuda", "cpu").contains(p.executionProvider()), p.executionProvider());
        }
    }
}
