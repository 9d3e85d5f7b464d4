package io.emostream.models.detection;

import java.util.Arrays;

/**
 * Class-aware greedy non-maximum suppression: within each class, best score first, a box is dropped when its IoU with
 * a kept box of the same class exceeds the threshold. Boxes of different classes never suppress each other.
 */
public final class Nms {
    private Nms() { }

    /**
     * @param boxes   x1, y1, x2, y2 per candidate
     * @param scores  per candidate
     * @param classes per candidate
     * @param n       number of candidates
     * @return indices of the kept candidates, best score first, at most {@code maxKeep}
     */
    public static int[] run(float[] boxes, float[] scores, int[] classes, int n, float iouThreshold, int maxKeep) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        ScoreOrder.sortDescending(order, n, scores);
        // stable partition by class keeps each class's candidates in score order
        int maxClass = 0;
        for (int i = 0; i < n; i++) {
            maxClass = Math.max(maxClass, classes[i]);
        }
        int[] start = new int[maxClass + 2];
        for (int i = 0; i < n; i++) {
            start[classes[i] + 1]++;
        }
        for (int c = 0; c <= maxClass; c++) {
            start[c + 1] += start[c];
        }
        int[] fill = Arrays.copyOf(start, start.length);
        int[] byClass = new int[n];
        for (int i = 0; i < n; i++) {
            byClass[fill[classes[order[i]]]++] = order[i];
        }
        // the boxes copied in that order with their areas, so that the pairwise loop reads memory in sequence
        float[] sorted = new float[5 * n];
        for (int i = 0; i < n; i++) {
            int b = 4 * byClass[i];
            sorted[5 * i] = boxes[b];
            sorted[5 * i + 1] = boxes[b + 1];
            sorted[5 * i + 2] = boxes[b + 2];
            sorted[5 * i + 3] = boxes[b + 3];
            sorted[5 * i + 4] = (boxes[b + 2] - boxes[b]) * (boxes[b + 3] - boxes[b + 1]);
        }
        boolean[] suppressed = new boolean[n];
        int[] kept = new int[n];
        int count = 0;
        for (int c = 0; c <= maxClass; c++) {
            int keptInClass = 0;
            for (int i = start[c]; i < start[c + 1]; i++) {
                if (suppressed[i]) {
                    continue;
                }
                kept[count++] = byClass[i];
                if (++keptInClass == maxKeep) {
                    break; // no more of this class can make the cut
                }
                for (int j = i + 1; j < start[c + 1]; j++) {
                    if (!suppressed[j] && iou(sorted, i, j) > iouThreshold) {
                        suppressed[j] = true;
                    }
                }
            }
        }
        ScoreOrder.sortDescending(kept, count, scores);
        return Arrays.copyOf(kept, Math.min(count, maxKeep));
    }

    /** IoU of boxes {@code a} and {@code b} of {@code boxes}: x1, y1, x2, y2, area per box. */
    static float iou(float[] boxes, int a, int b) {
        float ax1 = boxes[5 * a], ay1 = boxes[5 * a + 1], ax2 = boxes[5 * a + 2], ay2 = boxes[5 * a + 3];
        float bx1 = boxes[5 * b], by1 = boxes[5 * b + 1], bx2 = boxes[5 * b + 2], by2 = boxes[5 * b + 3];
        float iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
        float ih = Math.min(ay2, by2) - Math.max(ay1, by1);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        float union = boxes[5 * a + 4] + boxes[5 * b + 4] - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
