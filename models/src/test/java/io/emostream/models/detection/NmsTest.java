package io.emostream.models.detection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NmsTest {
    @Test
    void suppressesOverlapsWithinAClassOnly() {
        float[] boxes = {
                0, 0, 10, 10,     // 0: class 0, 0.9
                1, 1, 11, 11,     // 1: class 0, 0.8, IoU with 0 = 81/119 = 0.68 -> suppressed
                1, 1, 11, 11,     // 2: class 1, 0.7, same place as 1 but another class -> kept
                20, 20, 30, 30,   // 3: class 0, 0.6, no overlap -> kept
                5, 0, 15, 10,     // 4: class 0, 0.95, IoU with 0 = 50/150 = 0.33 -> kept, and it does not touch 3
        };
        float[] scores = {0.9f, 0.8f, 0.7f, 0.6f, 0.95f};
        int[] classes = {0, 0, 1, 0, 0};
        assertArrayEquals(new int[] {4, 0, 2, 3}, Nms.run(boxes, scores, classes, 5, 0.45f, 100));
        // a tighter threshold lets 4 suppress 0 (IoU 50/150 = 0.33) and 1 (IoU 54/146 = 0.37), not 2 (class 1)
        assertArrayEquals(new int[] {4, 2, 3}, Nms.run(boxes, scores, classes, 5, 0.3f, 100));
    }

    @Test
    void keepsAtMostMaxKeepBestFirst() {
        float[] boxes = new float[4 * 10];
        float[] scores = new float[10];
        int[] classes = new int[10];
        for (int i = 0; i < 10; i++) {
            boxes[4 * i] = 100 * i;
            boxes[4 * i + 2] = 100 * i + 10;
            boxes[4 * i + 3] = 10;
            scores[i] = i / 10f;
            classes[i] = i % 3;
        }
        assertArrayEquals(new int[] {9, 8, 7}, Nms.run(boxes, scores, classes, 10, 0.5f, 3));
    }

    @Test
    void iouOfIdenticalBoxesIsOneAndOfDisjointBoxesZero() {
        float[] boxes = {0, 0, 2, 2, 4, 0, 0, 2, 2, 4, 5, 5, 6, 6, 1}; // x1, y1, x2, y2, area
        assertEquals(1f, Nms.iou(boxes, 0, 1), 1e-6f);
        assertEquals(0f, Nms.iou(boxes, 0, 2), 1e-6f);
    }
}
