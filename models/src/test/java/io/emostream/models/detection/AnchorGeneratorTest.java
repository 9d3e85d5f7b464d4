package io.emostream.models.detection;

import io.emostream.models.card.ModelCard;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AnchorGeneratorTest {
    private static final float[] RATIOS = {0.5f, 2f, 1 / 3f, 3f};

    /** SSDLite at 320 (docs/MODELS.md, "SSDLite (detection)"). */
    static ModelCard.AnchorSpec emoSsdLite() {
        int[] features = {20, 10, 5, 3, 2, 1};
        float[] strides = {16, 32, 64, 107, 160, 320};
        float[] min = {48, 100, 150, 202, 253, 304};
        float[] max = {100, 150, 202, 253, 304, 320};
        List<ModelCard.AnchorLevel> levels = new java.util.ArrayList<>();
        for (int l = 0; l < 6; l++) {
            levels.add(new ModelCard.AnchorLevel(features[l], strides[l], min[l], max[l], RATIOS));
        }
        return new ModelCard.AnchorSpec(320, levels);
    }

    @Test
    void emoSsdLiteHas3234AnchorsInLevelOrder() {
        ModelCard.AnchorSpec spec = emoSsdLite();
        float[] anchors = AnchorGenerator.generate(spec, 320, 320);
        assertEquals(3234, anchors.length / 4);
        assertArrayEquals(new int[] {0, 2400, 3000, 3150, 3204, 3228, 3234}, AnchorGenerator.levelStarts(spec));
        // first location of level 0: centre (8, 8); (48, 1), (sqrt(48*100), 1), then ratio 1/2 (wide), 2 (tall)
        float s = (float) Math.sqrt(4800);
        float r = (float) Math.sqrt(2);
        float[] expected = {8, 8, 48, 48, 8, 8, s, s, 8, 8, 48 * r, 48 / r, 8, 8, 48 / r, 48 * r};
        float[] first = java.util.Arrays.copyOf(anchors, 16);
        assertArrayEquals(expected, first, 1e-3f);
        // second location in the same row moves one stride right
        assertEquals(24, anchors[6 * 4], 1e-4f);
        // level 3 (stride 107, 3x3): last location centre 53.5 + 214
        int lastOfLevel3 = 3204 - 1;
        assertEquals(267.5f, anchors[4 * lastOfLevel3], 1e-3f);
        assertEquals(267.5f, anchors[4 * lastOfLevel3 + 1], 1e-3f);
        // the last anchor: 1x1 level, ratio 3 at 304: w = 304/sqrt3, h = 304*sqrt3
        assertEquals(304 / Math.sqrt(3), anchors[4 * 3233 + 2], 1e-3);
        assertEquals(304 * Math.sqrt(3), anchors[4 * 3233 + 3], 1e-3);
    }

    @Test
    void anchorsScaleToANonSquareInput() {
        float[] anchors = AnchorGenerator.generate(emoSsdLite(), 640, 320);
        assertArrayEquals(new float[] {16, 8, 96, 48}, java.util.Arrays.copyOf(anchors, 4), 1e-4f);
    }
}
