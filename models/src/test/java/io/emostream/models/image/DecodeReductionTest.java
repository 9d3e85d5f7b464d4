package io.emostream.models.image;

import io.emostream.models.card.ModelCard;
import io.emostream.models.fixtures.Images;
import io.emostream.models.runtime.PreparedInput;
import io.emostream.models.runtime.Preprocessor;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecodeReductionTest {
    private static ModelCard.InputSpec input(int side, ModelCard.Resize resize) {
        return new ModelCard.InputSpec("x", new long[] {-1, 3, side, side}, "NCHW", "BGR",
                new float[] {0, 0, 0}, new float[] {1, 1, 1}, resize, 0);
    }

    private static final ModelCard.InputSpec SSD = input(320, ModelCard.Resize.STRETCH);
    private static final ModelCard.InputSpec DEEPLAB = input(512, ModelCard.Resize.STRETCH);

    @Test
    void theFactorIsTheLargestThatLeavesEveryModelInputAtLeastItsContent() {
        DecodeReduction ssd = DecodeReduction.forInputs(List.of(SSD));
        assertEquals(2, ssd.factor(1280, 720));
        assertEquals(4, ssd.factor(1920, 1280));
        assertEquals(8, ssd.factor(3840, 2560));
        assertEquals(1, ssd.factor(640, 480), "240 rows would be fewer than the input's 320");
        assertEquals(1, DecodeReduction.forInputs(List.of(SSD, DEEPLAB)).factor(1280, 720), "both models count");
        assertEquals(2, DecodeReduction.forInputs(List.of(SSD, DEEPLAB)).factor(1920, 1080));
        // letterbox: 1280x720 into 320 takes 320x180 of content, so a quarter still holds it
        assertEquals(4, DecodeReduction.forInputs(List.of(input(320, ModelCard.Resize.LETTERBOX))).factor(1280, 720));
        assertEquals(1, DecodeReduction.none().factor(7680, 4320));
    }

    @Test
    void aFitInputCountsTheContentItsRuleGivesTheFrame() {
        // the authors' ADE20K rule: fit within (2048, 512); 2560x1440 -> 910x512, which half the frame still holds
        ModelCard.InputSpec fit = new ModelCard.InputSpec("x", new long[]{-1, 3, 512, 512}, "NCHW", "RGB",
                new float[]{0, 0, 0}, new float[]{1, 1, 1}, ModelCard.Resize.FIT, 0, new int[]{2048, 512}, null);
        assertEquals(2, DecodeReduction.forInputs(List.of(fit)).factor(2560, 1440));
        assertEquals(1, DecodeReduction.forInputs(List.of(fit)).factor(1280, 720), "910 columns need all 1280");
    }

    @Test
    void aReducedJpegKeepsTheFrameSizeAndItsContentLandsOnTheSameInputPixels() throws Exception {
        // a white block on black at x 400..799, y 200..519 of a 1280x720 frame: input x 100..199, y 88..230
        byte[] pixels = new byte[1280 * 720 * 3];
        for (int y = 200; y < 520; y++) {
            for (int x = 400; x < 800; x++) {
                int i = (y * 1280 + x) * 3;
                pixels[i] = pixels[i + 1] = pixels[i + 2] = (byte) 255;
            }
        }
        byte[] jpeg;
        try (MatImage frame = Images.bgr(1280, 720, pixels)) {
            jpeg = Images.encode(frame, ".jpg");
        }
        ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
        Preprocessor pre = new Preprocessor(SSD, 2);
        try (MatImage whole = (MatImage) decoder.decode(jpeg, ImageFormat.JPEG, 1280, 720);
             MatImage reduced = (MatImage) decoder.decode(jpeg, ImageFormat.JPEG, 1280, 720,
                     DecodeReduction.forInputs(List.of(SSD)));
             PreparedInput a = pre.prepare(whole);
             PreparedInput b = pre.prepare(reduced)) {
            assertEquals(640, reduced.mat().cols());
            assertEquals(360, reduced.mat().rows());
            assertEquals(1280, reduced.width());
            assertEquals(720, reduced.height());
            assertEquals(a.mapping(), b.mapping(), "boxes map back to the frame the same way");
            FloatBuffer full = a.data();
            FloatBuffer half = b.data();
            int differ = 0;
            for (int y = 0; y < 320; y++) {
                for (int x = 0; x < 320; x++) {
                    boolean inside = x >= 101 && x <= 198 && y >= 90 && y <= 229; // a pixel in from the block's edge
                    boolean outside = x <= 98 || x >= 201 || y <= 87 || y >= 232;
                    float v = half.get(y * 320 + x);
                    if (inside) assertTrue(v > 200, "inside at " + x + "," + y + ": " + v);
                    if (outside) assertTrue(v < 55, "outside at " + x + "," + y + ": " + v);
                    if (Math.abs(v - full.get(y * 320 + x)) > 40) differ++;
                }
            }
            assertTrue(differ < 320 * 4, differ + " input pixels differ much from the whole decode's");
        }
    }
}
