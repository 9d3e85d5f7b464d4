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
        boolean[] suppressed = new boolean[n];
        int[] kept = new int[n];
        int count = 0;
        for (int c = 0; c <= maxClass; c++) {
            int keptInClass = 0;
            for (int i = start[c]; i < start[c + 1]; i++) {
                int a = byClass[i];
                if (suppressed[a]) {
                    continue;
                }
                kept[count++] = a;
                if (++keptInClass == maxKeep) {
                    break; // no more of this class can make the cut
                }
                for (int j = i + 1; j < start[c + 1]; j++) {
                    int b = byClass[j];
                    if (!suppressed[b] && iou(boxes, a, b) > iouThreshold) {
                        suppressed[b] = true;
                    }
                }
            }
        }
        ScoreOrder.sortDescending(kept, count, scores);
        return Arrays.copyOf(kept, Math.min(count, maxKeep));
    }

    static float iou(float[] boxes, int a, int b) {
        float ax1 = boxes[4 * a], ay1 = boxes[4 * a + 1], ax2 = boxes[4 * a + 2], ay2 = boxes[4 * a + 3];
        float bx1 = boxes[4 * b], by1 = boxes[4 * b + 1], bx2 = boxes[4 * b + 2], by2 = boxes[4 * b + 3];
        float iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
        float ih = Math.min(ay2, by2) - Math.max(ay1, by1);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        float union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
