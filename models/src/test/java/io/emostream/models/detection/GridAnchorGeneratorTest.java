package io.emostream.models.detection;

import io.emostream.models.card.ModelCard.GridAnchorSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RetinaNet's anchors as mmdetection's AnchorGenerator makes them (octave base scale 4, 3 scales per octave, ratios
 * 0.5, 1, 2, strides 8 to 128, centre offset 0). The base anchors of stride 8 are mmdetection's well-known
 * (x1, y1, x2, y2) = (-22.63, -11.31, 22.63, 11.31), (-28.51, -14.25, ...), (-35.92, -17.96, ...), (-16, -16, 16, 16),
 * ...: here as (cx, cy, w, h).
 */
class GridAnchorGeneratorTest {
    private static final GridAnchorSpec RETINANET = new GridAnchorSpec(new float[] {8, 16, 32, 64, 128}, 4, 3,
            new float[] {0.5f, 1, 2}, 0);

    @Test
    void levelsHoldCeilOfInputOverStrideLocationsOfNineAnchors() {
        // 800: 100, 50, 25, 13, 7 per side
        assertArrayEquals(new int[] {0, 90000, 112500, 118125, 119646, 120087},
                GridAnchorGenerator.levelStarts(RETINANET, 800, 800));
        // 640 x 480: 80x60, 40x30, 20x15, 10x8, 5x4
        assertEquals(9 * (4800 + 1200 + 300 + 80 + 20), GridAnchorGenerator.levelStarts(RETINANET, 640, 480)[5]);
    }

    @Test
    void baseAnchorsAreRatioMajorScaleMinorAroundGridPointsWithoutHalfPixelShift() {
        float[] a = GridAnchorGenerator.generate(RETINANET, 256, 256);
        double s2 = Math.pow(2, 1 / 3.0), s3 = Math.pow(2, 2 / 3.0), r = Math.sqrt(2);
        // the first location of stride 8, ratio 0.5 (wide): 32 * scale * sqrt 2 wide, 32 * scale / sqrt 2 high
        assertAnchor(a, 0, 0, 0, 32 * r, 32 / r);
        assertAnchor(a, 1, 0, 0, 32 * s2 * r, 32 * s2 / r);
        assertAnchor(a, 2, 0, 0, 32 * s3 * r, 32 * s3 / r);
        assertAnchor(a, 3, 0, 0, 32, 32);                     // ratio 1, scale 4: (-16, -16, 16, 16)
        assertAnchor(a, 6, 0, 0, 32 / r, 32 * r);             // ratio 2 (tall)
        assertAnchor(a, 9, 8, 0, 32 * r, 32 / r);             // next column: x + stride
        assertAnchor(a, 9 * 32, 0, 8, 32 * r, 32 / r);        // next row of the 32 x 32 grid
        int level4 = 9 * (32 * 32 + 16 * 16 + 8 * 8 + 4 * 4); // stride 128 at 256: a 2 x 2 grid
        assertAnchor(a, level4 + 3, 0, 0, 512, 512);
        assertAnchor(a, level4 + 9 * 3 + 8, 128, 128, 512 * s3 / r, 512 * s3 * r);
        assertEquals(4 * (level4 + 36), a.length);
    }

    private static void assertAnchor(float[] anchors, int index, double cx, double cy, double w, double h) {
        assertEquals(cx, anchors[4 * index], 1e-3, "cx of " + index);
        assertEquals(cy, anchors[4 * index + 1], 1e-3, "cy of " + index);
        assertEquals(w, anchors[4 * index + 2], 1e-3, "w of " + index);
        assertEquals(h, anchors[4 * index + 3], 1e-3, "h of " + index);
    }
}
