package io.emostream.models.runtime;

import io.emostream.models.Predictors;
import io.emostream.models.card.ModelCard;
import io.emostream.models.detection.Detection;
import io.emostream.models.detection.DetectionResult;
import io.emostream.models.emo.EmoArch;
import io.emostream.models.emo.EmoModelBuilder;
import io.emostream.models.emo.Head;
import io.emostream.models.emo.ModelSpec;
import io.emostream.models.emo.ModelZoo;
import io.emostream.models.fixtures.Images;
import io.emostream.models.image.MatImage;
import io.emostream.models.segmentation.SegmentationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Built-in RetinaNet and PSPNet graphs of EMO-1M (seeded weights, at 64 so that the bounds are small: RetinaNet fits
 * within (107, 64) padded to 32, PSPNet within (256, 64)) run 640x480 frames through the real runtime: the runtime
 * builds the graph of the input size the card's rule gives (96x64 and 85x64) from the file's weights, opens a session
 * on it (which refuses a graph whose input differs from that size) and maps the results back to the frame.
 */
class SizeFollowingPredictorTest {
    @TempDir
    static Path dir;

    private static Path build(ModelSpec spec) throws Exception {
        EmoModelBuilder builder = new EmoModelBuilder();
        return builder.build(spec, builder.initialise(spec, ModelZoo.DEFAULT_SEED),
                ModelCard.WeightsProvenance.seeded(ModelZoo.DEFAULT_SEED), dir).onnxFile();
    }

    private static RuntimeConfig config(int maxInputSizes) {
        return RuntimeConfig.builder().provider(ExecutionProvider.CPU).maxBatch(2).maskMaxSide(160)
                .maxInputSizes(maxInputSizes).build();
    }

    /** Shapes with edges, so that untrained scores still vary over the frame. */
    private static MatImage frame(int w, int h) {
        byte[] bytes = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inside = x > w / 5 && x < w / 2 && y > h / 4 && y < 3 * h / 4;
                int i = (y * w + x) * 3;
                bytes[i] = (byte) (inside ? 30 : x / 3);
                bytes[i + 1] = (byte) (inside ? 40 : y / 2);
                bytes[i + 2] = (byte) (inside ? 220 : 90);
            }
        }
        return Images.bgr(w, h, bytes);
    }

    @Test
    void retinaNetRunsALandscapeFrameAtTheRulesPaddedSizeAndRefusesASizeBeyondTheBound() throws Exception {
        Path onnx = build(ModelSpec.defaults(EmoArch.EMO_1M, Head.RETINANET).withInputSize(64));
        try (Predictor<DetectionResult> p = Predictors.detector(onnx, config(2))) {
            assertEquals(ModelCard.Resize.FIT, p.card().input().resize());
            assertArrayEquals(new int[]{107, 64}, p.card().input().fitWithin());
            SizeFollowingPredictor<DetectionResult> sized = assertInstanceOf(SizeFollowingPredictor.class, p);
            try (MatImage landscape = frame(640, 480)) {
                DetectionResult r = p.predict(landscape);
                // 640x480 * (64 / 480): 85.3 -> 85 x 64, padded to 96 x 64
                assertEquals(List.of("64x64", "96x64"), sizes(sized));
                assertFalse(r.detections().isEmpty(), "untrained sigmoid scores near 0.5 pass the 0.05 threshold");
                for (Detection d : r.detections()) {
                    assertTrue(d.x1() >= 0 && d.x1() < d.x2() && d.x2() <= 640, d.toString());
                    assertTrue(d.y1() >= 0 && d.y1() < d.y2() && d.y2() <= 480, d.toString());
                }
                assertEquals(r.detections(), p.predict(landscape).detections(), "the same size reuses its graph");
            }
            try (MatImage portrait = frame(480, 640)) {
                InferenceException e = assertThrows(InferenceException.class, () -> p.predict(portrait));
                assertTrue(e.getMessage().contains("a 480x640 frame needs the input size 64x96")
                        && e.getMessage().contains("model.input.sizes.max = 2"), e.getMessage());
            }
            assertEquals(List.of("64x64", "96x64"), sizes(sized));
        }
    }

    @Test
    void pspNetBuiltForTheFramesSizeAtRunTimeSegmentsLikeTheGraphBuiltAtThatSize() throws Exception {
        ModelSpec spec = ModelSpec.defaults(EmoArch.EMO_1M, Head.PSPNET).withInputSize(64);
        Path square = build(spec);
        // the same weights built directly at 64 x 85: its own size is the one the rule gives 640x480 frames
        Path direct = build(spec.withInputSize(64, 85));
        try (Predictor<SegmentationResult> p = Predictors.segmenter(square, config(4));
             Predictor<SegmentationResult> reference = Predictors.segmenter(direct, config(4));
             MatImage landscape = frame(640, 480)) {
            SegmentationResult r = p.predict(landscape);
            assertEquals(List.of("64x64", "85x64"),
                    sizes(assertInstanceOf(SizeFollowingPredictor.class, p)));
            assertEquals(List.of("85x64"), sizes(assertInstanceOf(SizeFollowingPredictor.class, reference)));
            assertEquals(160, r.maskWidth());
            assertEquals(120, r.maskHeight());
            SegmentationResult expected = reference.predict(landscape);
            assertArrayEquals(expected.classIds(), r.classIds());
            assertArrayEquals(expected.runLengths(), r.runLengths());
        }
    }

    @Test
    void aSizeTheBuilderCannotMakeIsRefusedWithItsReasonAndNotTriedAgain() throws Exception {
        Path onnx = build(ModelSpec.defaults(EmoArch.EMO_1M, Head.PSPNET).withInputSize(64));
        // a 2000x100 strip: scale min(256 / 2000, 64 / 100) = 0.128 -> 256 x 13, under the 32 a graph needs
        try (Predictor<SegmentationResult> p = Predictors.segmenter(onnx, config(4));
             MatImage strip = frame(2000, 100)) {
            InferenceException first = assertThrows(InferenceException.class, () -> p.predict(strip));
            assertTrue(first.getMessage().contains("cannot run the input size 256x13")
                    && first.getMessage().contains("got 13"), first.getMessage());
            InferenceException again = assertThrows(InferenceException.class, () -> p.predict(strip));
            assertEquals(first.getMessage(), again.getMessage());
            assertEquals(List.of("64x64"), sizes(assertInstanceOf(SizeFollowingPredictor.class, p)));
        }
    }

    private static List<String> sizes(SizeFollowingPredictor<?> p) {
        return p.inputSizes().stream().map(s -> s[0] + "x" + s[1]).toList();
    }
}
