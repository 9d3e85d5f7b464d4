package io.emostream.models.segmentation;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.FrameMapping;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.RowOutput;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentationDecoderTest {
    private static ModelCard card(ModelCard.SegmentationFormat format, int labelOffset, List<String> labels) {
        return new ModelCard("seg", "1", "", ModelCard.Task.SEGMENTATION, 0,
                new ModelCard.InputSpec("x", new long[] {-1, 3, 28, 36}, "NCHW", "RGB", null, null,
                        ModelCard.Resize.STRETCH, 0), List.of(), null,
                new ModelCard.SegmentationSpec(format, "out", labelOffset), labels, null);
    }

    private static RowOutput row(float[] values, long... shape) {
        return new RowOutput(Map.of("out", values), Map.of("out", shape), 1, 0, 0);
    }

    @Test
    void labelsNameOutputIndicesWhenThereIsOneNamePerClassElseReportedIds() throws Exception {
        float[] twoClasses = {0, 1}; // 2 classes x 1 x 1: class 1 wins
        RunLengthMask perOutput = new SegmentationDecoder(card(ModelCard.SegmentationFormat.LOGITS, 1,
                List.of("wall", "sky")), 0).decode(row(twoClasses, 2, 1, 1), FrameMapping.stretch(2, 2, 36, 28));
        assertEquals(new ClassShare(2, "sky", 1f), perOutput.shares().get(0));
        RunLengthMask perId = new SegmentationDecoder(card(ModelCard.SegmentationFormat.LOGITS, 1,
                List.of("other", "wall", "sky")), 0).decode(row(twoClasses, 2, 1, 1), FrameMapping.stretch(2, 2, 36, 28));
        assertEquals(new ClassShare(2, "sky", 1f), perId.shares().get(0));
    }

    @Test
    void outputsThatDoNotMatchTheCardFailAsAnOutputMismatch() {
        SegmentationDecoder decoder = new SegmentationDecoder(card(ModelCard.SegmentationFormat.LOGITS, 0,
                List.of()), 0);
        FrameMapping mapping = FrameMapping.stretch(2, 2, 36, 28);
        InferenceException flat = assertThrows(InferenceException.class,
                () -> decoder.decode(row(new float[4], 4), mapping));
        assertEquals(InferenceException.Reason.OUTPUT_MISMATCH, flat.reason());
        assertTrue(flat.getMessage().contains("[N, C, h, w]"), flat.getMessage());
        RowOutput unnamed = new RowOutput(Map.of("logits", new float[4]), Map.of("logits", new long[] {4, 1, 1}), 1,
                0, 0);
        InferenceException missing = assertThrows(InferenceException.class, () -> decoder.decode(unnamed, mapping));
        assertEquals(InferenceException.Reason.OUTPUT_MISMATCH, missing.reason());
        assertTrue(missing.getMessage().contains("no output 'out'"), missing.getMessage());
    }

    /** The fused, pruned argmax against the plain way: OpenCV bilinear resize of every plane, then argmax. */
    @Test
    void prunedArgmaxMatchesResizingEveryPlaneThenArgmax() throws Exception {
        int classes = 20, h = 7, w = 9, maskW = 50, maskH = 30;
        Random random = new Random(3);
        float[] logits = new float[classes * h * w];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian() * 3;
        }
        RunLengthMask mask = new SegmentationDecoder(card(ModelCard.SegmentationFormat.LOGITS, 0, List.of()), maskW)
                .decode(row(logits, classes, h, w), FrameMapping.stretch(maskW, maskH, 36, 28));
        int[] ours = mask.decode();

        float[] best = new float[maskW * maskH];
        int[] reference = new int[maskW * maskH];
        java.util.Arrays.fill(best, Float.NEGATIVE_INFINITY);
        try (FloatPointer data = new FloatPointer(logits); Size size = new Size(maskW, maskH)) {
            for (int c = 0; c < classes; c++) {
                try (Mat plane = new Mat(h, w, CV_32FC1, data.getPointer((long) c * h * w)); Mat up = new Mat()) {
                    resize(plane, up, size, 0, 0, INTER_LINEAR);
                    FloatBuffer values = up.createBuffer();
                    for (int i = 0; i < best.length; i++) {
                        if (values.get(i) > best[i]) {
                            best[i] = values.get(i);
                            reference[i] = c;
                        }
                    }
                }
            }
        }
        int differ = 0;
        for (int i = 0; i < ours.length; i++) {
            differ += ours[i] != reference[i] ? 1 : 0;
        }
        // float rounding can flip a near-tie; anything more is a bug
        assertTrue(differ <= ours.length / 500, differ + " of " + ours.length + " pixels differ");
    }
}
