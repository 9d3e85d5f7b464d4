package io.emostream.models.segmentation;

import io.emostream.models.card.ModelCard;
import io.emostream.models.fixtures.Cards;
import io.emostream.models.fixtures.Images;
import io.emostream.models.fixtures.OnnxFixtures;
import io.emostream.models.fixtures.OnnxFixtures.Constant;
import io.emostream.models.image.MatImage;
import io.emostream.models.runtime.ExecutionProvider;
import io.emostream.models.runtime.Predictor;
import io.emostream.models.Predictors;
import io.emostream.models.runtime.RuntimeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SegmentationPredictorTest {
    private static final RuntimeConfig CPU =
            RuntimeConfig.builder().provider(ExecutionProvider.CPU).maxWaitMs(1).build();
    private static final List<String> LABELS = List.of("other", "wall", "sky", "floor", "car");

    @TempDir
    Path dir;

    /** The result of a 4x4-input model whose output is {@code output}, on a uniform frame of the given size. */
    private SegmentationResult segment(String name, ModelCard.SegmentationFormat format, Constant output,
                                       ModelCard.Resize resize, RuntimeConfig config, int frameWidth,
                                       int frameHeight) throws Exception {
        Map<String, Constant> outputs = OnnxFixtures.outputs();
        outputs.put("out", output);
        Path onnx = OnnxFixtures.constantOutputs(dir.resolve(name + ".onnx"), 4, 4, outputs);
        Cards.writeBeside(onnx, Cards.segmentation(name, Cards.input(4, 4, resize),
                new ModelCard.SegmentationSpec(format, "out", 1), LABELS));
        try (Predictor<SegmentationResult> p = Predictors.segmenter(onnx, config);
             MatImage frame = Images.uniform(frameWidth, frameHeight, 0, 0, 0)) {
            return p.predict(frame);
        }
    }

    /** The decoded mask is {@code rows}, each a row of one-digit labels: {@code "1122"} is 1, 1, 2, 2. */
    private static void assertLabelMap(SegmentationResult r, String... rows) {
        assertEquals(rows[0].length(), r.maskWidth());
        assertEquals(rows.length, r.maskHeight());
        int[] expected = String.join("", rows).chars().map(c -> c - '0').toArray();
        assertArrayEquals(expected, new RunLengthMask(r.maskWidth(), r.maskHeight(), r.classIds(), r.runLengths(),
                r.shares()).decode());
    }

    /**
     * Logits at 2x2 resized bilinearly (half-pixel centres) to the 4x4 mask: pixel (1, 1) samples (0.25, 0.25) where
     * class 0 = 10 * 0.75 * 0.75 = 5.6 beats class 1 (1.9) and class 2 (1.25); row 2 samples y = 0.75 where class 2
     * = 3.75 beats 1.9. So quadrants: top-left 0, top-right 1, bottom half 2; +1 label offset.
     */
    @Test
    void logitsAreResizedThenArgmaxedAndRunLengthEncoded() throws Exception {
        float[] logits = {
                10, 0, 0, 0,   // class 0
                0, 10, 0, 0,   // class 1
                0, 0, 5, 5};   // class 2
        SegmentationResult r = segment("logits", ModelCard.SegmentationFormat.LOGITS,
                Constant.floats(logits, 3, 2, 2), ModelCard.Resize.STRETCH, CPU, 4, 4);
        assertLabelMap(r, "1122", "1122", "3333", "3333");
        assertArrayEquals(new int[] {1, 2, 1, 2, 3}, r.classIds());
        assertEquals(new ClassShare(3, "floor", 0.5f), r.shares().get(0));
        assertEquals(3, r.shares().size());
    }

    @Test
    void labelMapIsResizedNearestToTheFrameAspect() throws Exception {
        // 2x2 label map, frame 8x8, mask side 4: each label fills a 2x2 quadrant
        SegmentationResult r = segment("labels", ModelCard.SegmentationFormat.LABEL_MAP,
                Constant.longs(new float[] {0, 1, 2, 3}, 1, 2, 2), ModelCard.Resize.STRETCH, CPU, 8, 8);
        assertLabelMap(r, "1122", "1122", "3344", "3344");
    }

    @Test
    void letterboxPaddingIsCutOutOfTheMask() throws Exception {
        // frame 8x4 letterboxed into 4x4: content rows 1..2, padding rows 0 and 3 (label 9 there)
        float[] map = {
                8, 8, 8, 8,
                0, 1, 2, 3,
                3, 2, 1, 0,
                8, 8, 8, 8};
        SegmentationResult r = segment("boxed", ModelCard.SegmentationFormat.LABEL_MAP,
                Constant.floats(map, 1, 4, 4), ModelCard.Resize.LETTERBOX, CPU, 8, 4);
        assertLabelMap(r, "1234", "4321");
    }

    @Test
    void maskMaxSideBoundsTheMaskAndKeepsTheFrameAspect() throws Exception {
        SegmentationResult r = segment("small", ModelCard.SegmentationFormat.LABEL_MAP,
                Constant.longs(new float[] {2, 2, 2, 2}, 1, 2, 2), ModelCard.Resize.STRETCH,
                CPU.toBuilder().maskMaxSide(3).build(), 60, 30);
        assertEquals(3, r.maskWidth());
        assertEquals(2, r.maskHeight()); // 30 * 3/60 = 1.5, rounded
        assertArrayEquals(new int[] {3}, r.classIds());
        assertArrayEquals(new int[] {6}, r.runLengths());
        assertEquals(new ClassShare(3, "floor", 1f), r.shares().get(0));
    }
}
