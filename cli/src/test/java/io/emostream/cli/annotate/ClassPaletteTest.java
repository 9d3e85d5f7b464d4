package io.emostream.cli.annotate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassPaletteTest {
    @Test
    void classColoursFollowTheGoldenAngleRuleTheLivePageUsesToo() {
        // HSV(c * 137.508 mod 360, 0.75, 0.95) as 8-bit B, G, R
        assertArrayEquals(new int[]{61, 61, 242}, ClassPalette.bgr(0), "hue 0: red");
        assertArrayEquals(new int[]{114, 242, 61}, ClassPalette.bgr(1), "hue 137.5: green");
        assertArrayEquals(new int[]{242, 61, 167}, ClassPalette.bgr(2), "hue 275.0: violet");
    }

    @Test
    void everyClassHasTheSameSaturationAndValue() {
        for (int c = 0; c < 200; c++) {
            int[] bgr = ClassPalette.bgr(c);
            int max = Math.max(bgr[0], Math.max(bgr[1], bgr[2]));
            int min = Math.min(bgr[0], Math.min(bgr[1], bgr[2]));
            assertEquals(242, max, "value 0.95, class " + c);
            assertEquals(61, min, 1, "saturation 0.75, class " + c);
        }
    }
}
