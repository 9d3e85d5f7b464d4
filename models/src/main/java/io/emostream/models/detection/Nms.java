package io.emostream.models.detection;

import java.util.Arrays;

/**
 * Class-aware greedy non-maximum suppression: within each class, best score first, a box is dropped when its IoU with
 * a kept box of the same class exceeds the threshold. Boxes of different classes never suppress each other.
 * <p>
 * Candidates are visited in one descending score order across all classes, which keeps each class's own order, so a
 * candidate is kept exactly when per-class NMS would keep it; and since only the best {@code maxKeep} survivors are
 * returned, the walk stops at the {@code maxKeep}-th. Each candidate is compared with its class's kept boxes only, not
 * with every lower-scoring candidate: near-uniform scores (untrained weights, crowded scenes) pass thousands of
 * candidates, of which a few hundred are looked at.
 */
public final class Nms {
    private Nms() { }

    /**
     * @param boxes   x1, y1, x2, y2 per candidate
     * @param scores  per candidate
     * @param classes per candidate, non-negative
     * @param n       number of candidates
     * @return indices of the kept candidates, best score first (ties: lower index first), at most {@code maxKeep}
     */
    public static int[] run(float[] boxes, float[] scores, int[] classes, int n, float iouThreshold, int maxKeep) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        ScoreOrder.sortDescending(order, n, scores);
        int maxClass = 0;
        for (int i = 0; i < n; i++) {
            maxClass = Math.max(maxClass, classes[i]);
        }
        int capacity = Math.min(n, maxKeep);
        int[] kept = new int[capacity];
        // kept boxes with their areas, in keeping order, chained per class (newest first)
        float[] keptBoxes = new float[5 * capacity];
        int[] previousOfClass = new int[capacity];
        int[] newestOfClass = new int[maxClass + 1];
        Arrays.fill(newestOfClass, -1);
        float[] candidate = new float[5];
        int count = 0;
        for (int o = 0; o < n && count < capacity; o++) {
            int i = order[o];
            int b = 4 * i;
            candidate[0] = boxes[b];
            candidate[1] = boxes[b + 1];
            candidate[2] = boxes[b + 2];
            candidate[3] = boxes[b + 3];
            candidate[4] = (boxes[b + 2] - boxes[b]) * (boxes[b + 3] - boxes[b + 1]);
            int c = classes[i];
            boolean suppressed = false;
            for (int k = newestOfClass[c]; k >= 0 && !suppressed; k = previousOfClass[k]) {
                suppressed = iou(keptBoxes, 5 * k, candidate, 0) > iouThreshold;
            }
            if (!suppressed) {
                System.arraycopy(candidate, 0, keptBoxes, 5 * count, 5);
                previousOfClass[count] = newestOfClass[c];
                newestOfClass[c] = count;
                kept[count++] = i;
            }
        }
        return Arrays.copyOf(kept, count);
    }

    /** IoU of the boxes at offsets {@code a} of {@code as} and {@code b} of {@code bs}: x1, y1, x2, y2, area each. */
    static float iou(float[] as, int a, float[] bs, int b) {
        float iw = Math.min(as[a + 2], bs[b + 2]) - Math.max(as[a], bs[b]);
        float ih = Math.min(as[a + 3], bs[b + 3]) - Math.max(as[a + 1], bs[b + 1]);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        float union = as[a + 4] + bs[b + 4] - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
