package io.emostream.models.runtime;

import io.emostream.models.card.ModelCard;
import io.emostream.models.fixtures.Images;
import io.emostream.models.image.MatImage;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PreprocessorTest {
    private static ModelCard.InputSpec spec(String order, ModelCard.Resize resize) {
        return new ModelCard.InputSpec("x", new long[] {-1, 3, 4, 8}, "NCHW", order,
                new float[] {10, 20, 30}, new float[] {2, 4, 5}, resize, 100);
    }

    @Test
    void stretchNormalisesEachChannelInTheNetworksColourOrder() {
        Preprocessor rgb = new Preprocessor(spec("RGB", ModelCard.Resize.STRETCH), 2);
        try (MatImage frame = Images.uniform(16, 8, 50, 100, 200); // B, G, R
             PreparedInput in = rgb.prepare(frame)) {
            FloatBuffer d = in.data();
            assertEquals(96, d.remaining());
            assertEquals((200 - 10) / 2f, d.get(0), 1e-5f);       // plane 0 = R
            assertEquals((100 - 20) / 4f, d.get(32), 1e-5f);      // plane 1 = G
            assertEquals((50 - 30) / 5f, d.get(95), 1e-5f);       // plane 2 = B
            assertEquals(0.5, in.mapping().scaleX(), 1e-9);
        }
        Preprocessor bgr = new Preprocessor(spec("BGR", ModelCard.Resize.STRETCH), 2);
        try (MatImage frame = Images.uniform(16, 8, 50, 100, 200); PreparedInput in = bgr.prepare(frame)) {
            assertEquals((50 - 10) / 2f, in.data().get(0), 1e-5f);
        }
    }

    @Test
    void letterboxPadsCentredWithThePadValue() {
        Preprocessor p = new Preprocessor(spec("BGR", ModelCard.Resize.LETTERBOX), 2);
        // 4x4 frame into 8 wide, 4 high: scale 1, content columns 2..5, padding 2 each side
        try (MatImage frame = Images.uniform(4, 4, 70, 70, 70); PreparedInput in = p.prepare(frame)) {
            FloatBuffer d = in.data();
            for (int x = 0; x < 8; x++) {
                float expected = x >= 2 && x < 6 ? (70 - 10) / 2f : (100 - 10) / 2f;
                assertEquals(expected, d.get(8 + x), 1e-5f, "column " + x);
            }
            assertEquals(2, in.mapping().padX(), 1e-9);
            assertEquals(0, in.mapping().padY(), 1e-9);
        }
    }

    @Test
    void fitPadsTheNormalisedTensorAtTheBottomAndRightWithTheCardsValue() {
        // fit within (16, 8): a 20x10 frame scales by 0.8 to 16x8, padded to multiples of 6: 18x12
        ModelCard.InputSpec fit = new ModelCard.InputSpec("x", new long[] {-1, 3, 12, 18}, "NCHW", "BGR",
                new float[] {10, 20, 30}, new float[] {2, 4, 5}, ModelCard.Resize.FIT, 100, new int[] {16, 8},
                new ModelCard.DivisorPad(6, -7));
        Preprocessor p = new Preprocessor(fit, 18, 12, 2);
        try (MatImage frame = Images.uniform(20, 10, 50, 100, 200); PreparedInput in = p.prepare(frame)) {
            FloatBuffer d = in.data();
            assertEquals(3 * 18 * 12, d.remaining());
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 12; y++) {
                    for (int x = 0; x < 18; x++) {
                        float expected = x < 16 && y < 8 ? (new int[] {50, 100, 200}[c] - 10 * (c + 1))
                                / (float) new int[] {2, 4, 5}[c] : -7;
                        assertEquals(expected, d.get((c * 12 + y) * 18 + x), 1e-5f, c + "," + y + "," + x);
                    }
                }
            }
            assertEquals(0.8, in.mapping().scaleX(), 1e-12);
            assertEquals(0, in.mapping().padX(), 1e-12);
        }
    }
}
