package io.emostream.models.runtime;

import io.emostream.models.card.ModelCard;
import io.emostream.models.emo.EmoArch;
import io.emostream.models.emo.EmoModelBuilder;
import io.emostream.models.emo.Head;
import io.emostream.models.emo.ModelSpec;
import io.emostream.models.fixtures.Images;
import io.emostream.models.image.FrameMapping;
import io.emostream.models.image.MatImage;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The built-in cards' pre-processing against the authors' test pipelines computed directly, here, for non-square
 * frames (landscape 640x480 and portrait 360x640): mmcv's {@code rescale_size} (scale = min(long bound / long side,
 * short bound / short side), sides {@code int(side * scale + 0.5)}) or a stretch, OpenCV's bilinear resize to that
 * size, BGR to RGB, {@code (pixel - mean) / std}, then mmdetection's Pad: zeros at the bottom and right of the
 * normalised tensor up to multiples of the divisor. Compared element by element, with the size the session will see
 * and a box mapped back to the frame.
 */
class AuthorsPipelineTensorTest {
    private static final double[] MEAN = {123.675, 116.28, 103.53};
    private static final double[] STD = {58.395, 57.12, 57.375};

    /** head, frame width, height; expected content width, height; expected padded input width, height. */
    static Stream<Arguments> pipelines() {
        return Stream.of(
                // SSDLite: stretched to 320x320 (Pad size_divisor 320: nothing to pad)
                Arguments.of(Head.SSDLITE, 640, 480, 320, 320, 320, 320),
                Arguments.of(Head.SSDLITE, 360, 640, 320, 320, 320, 320),
                // RetinaNet: fit (1333, 800); 640x480 scale min(2.08, 1.667): 1066.67 -> 1067 x 800, padded to 1088
                Arguments.of(Head.RETINANET, 640, 480, 1067, 800, 1088, 800),
                // portrait: scale min(1333 / 640, 800 / 360) = 2.0828: 749.8 -> 750 x 1333, padded to 768 x 1344
                Arguments.of(Head.RETINANET, 360, 640, 750, 1333, 768, 1344),
                // PSPNet and DeepLabv3: fit (2048, 512), no padding; 640 x 480 * 1.0667 -> 683 x 512
                Arguments.of(Head.PSPNET, 640, 480, 683, 512, 683, 512),
                Arguments.of(Head.DEEPLABV3, 360, 640, 512, 910, 512, 910));
    }

    @ParameterizedTest(name = "{0} on a {1}x{2} frame")
    @MethodSource("pipelines")
    void theTensorEqualsTheAuthorsPipelineComputedDirectly(Head head, int frameW, int frameH, int contentW,
                                                           int contentH, int inputW, int inputH) {
        ModelCard.InputSpec spec = EmoModelBuilder.inputSpec(ModelSpec.defaults(EmoArch.EMO_1M, head));
        int[] content = authorsSize(spec, frameW, frameH);
        assertArrayEquals(new int[]{contentW, contentH}, content, "the rule's size, worked by hand above");
        int divisor = head == Head.RETINANET ? 32 : 1;
        assertEquals(inputW, roundUp(contentW, divisor));
        assertEquals(inputH, roundUp(contentH, divisor));

        Preprocessor preprocessor = new Preprocessor(spec, inputW, inputH, 1);
        try (MatImage frame = pattern(frameW, frameH); PreparedInput in = preprocessor.prepare(frame)) {
            float[] expected = expectedTensor(frame, contentW, contentH, inputW, inputH);
            FloatBuffer actual = in.data();
            assertEquals(expected.length, actual.remaining());
            for (int i = 0; i < expected.length; i++) {
                if (Math.abs(expected[i] - actual.get(i)) > 1e-4f) {
                    int plane = i / (inputW * inputH), y = i % (inputW * inputH) / inputW, x = i % inputW;
                    assertEquals(expected[i], actual.get(i), 1e-4f, "channel " + plane + " row " + y + " column " + x);
                }
            }

            // a box in input pixels maps back by the scale of each axis (content / frame), no offset
            FrameMapping m = in.mapping();
            assertEquals(inputW, m.inputWidth());
            assertEquals(inputH, m.inputHeight());
            double x1 = 10, y1 = 20, x2 = contentW - 30.5, y2 = contentH - 7.25;
            assertEquals(x1 * frameW / contentW, m.toFrameX(x1), 1e-3);
            assertEquals(y1 * frameH / contentH, m.toFrameY(y1), 1e-3);
            assertEquals(x2 * frameW / contentW, m.toFrameX(x2), 1e-3);
            assertEquals(y2 * frameH / contentH, m.toFrameY(y2), 1e-3);
            assertEquals(frameW, m.toFrameX(inputW), 1e-3, "the padding lies beyond the frame: clipped to its edge");
        }
    }

    /** mmcv's rescale_size for a FIT card, the card's graph size for a stretch. */
    private static int[] authorsSize(ModelCard.InputSpec spec, int w, int h) {
        if (spec.resize() == ModelCard.Resize.STRETCH) {
            return new int[]{spec.width(), spec.height()};
        }
        int[] bounds = spec.fitWithin();
        double longEdge = Math.max(bounds[0], bounds[1]), shortEdge = Math.min(bounds[0], bounds[1]);
        double scale = Math.min(longEdge / Math.max(w, h), shortEdge / Math.min(w, h));
        return new int[]{(int) (w * scale + 0.5), (int) (h * scale + 0.5)};
    }

    private static int roundUp(int size, int divisor) {
        return (int) Math.ceil((double) size / divisor) * divisor;
    }

    /** OpenCV bilinear resize to the content size, RGB, normalised, zeros at the bottom and right. */
    private static float[] expectedTensor(MatImage frame, int contentW, int contentH, int inputW, int inputH) {
        byte[] bgr = new byte[contentW * contentH * 3];
        try (Mat resized = new Mat(); Size size = new Size(contentW, contentH)) {
            resize(frame.mat(), resized, size, 0, 0, INTER_LINEAR);
            resized.data().get(bgr);
        }
        float[] tensor = new float[3 * inputW * inputH];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < contentH; y++) {
                for (int x = 0; x < contentW; x++) {
                    int pixel = bgr[(y * contentW + x) * 3 + (2 - c)] & 0xff; // RGB channel c is BGR byte 2 - c
                    tensor[(c * inputH + y) * inputW + x] = (float) ((pixel - MEAN[c]) / STD[c]);
                }
            }
        }
        return tensor;
    }

    /** Every pixel different from its neighbours, so a misplaced sample or a wrong channel shows. */
    private static MatImage pattern(int w, int h) {
        byte[] bytes = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                bytes[i] = (byte) (x * 7 + y * 3);
                bytes[i + 1] = (byte) (x * x / 5 + y);
                bytes[i + 2] = (byte) ((x ^ y) * 5);
            }
        }
        return Images.bgr(w, h, bytes);
    }
}
