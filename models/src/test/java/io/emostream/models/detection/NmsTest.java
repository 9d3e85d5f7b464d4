package io.emostream.models.detection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

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
        assertEquals(1f, Nms.iou(boxes, 0, boxes, 5), 1e-6f);
        assertEquals(0f, Nms.iou(boxes, 0, boxes, 10), 1e-6f);
    }

    @ParameterizedTest(name = "{0} candidates of {1} classes, keep {2}")
    @CsvSource({"3000, 80, 200", "3000, 3, 200", "500, 10, 1000", "2000, 1, 50"})
    void keepsWhatPerClassNmsKeepsOnManyOverlappingCandidatesWithTiedScores(int n, int classCount, int maxKeep) {
        Random random = new Random(n * 31L + classCount);
        float[] boxes = new float[4 * n];
        float[] scores = new float[n];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            float x = random.nextInt(300);
            float y = random.nextInt(300);
            boxes[4 * i] = x;
            boxes[4 * i + 1] = y;
            boxes[4 * i + 2] = x + 5 + random.nextInt(60);
            boxes[4 * i + 3] = y + 5 + random.nextInt(60);
            scores[i] = random.nextInt(50) / 50f; // many ties
            classes[i] = random.nextInt(classCount);
        }
        assertArrayEquals(perClassThenBest(boxes, scores, classes, n, 0.45f, maxKeep),
                Nms.run(boxes, scores, classes, n, 0.45f, maxKeep));
    }

    /** The textbook form: greedy NMS class by class, then the best maxKeep survivors (ties: lower index first). */
    private static int[] perClassThenBest(float[] boxes, float[] scores, int[] classes, int n, float iou, int maxKeep) {
        Comparator<Integer> best = Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i);
        List<Integer> survivors = new ArrayList<>();
        for (int c : IntStream.range(0, n).map(i -> classes[i]).distinct().toArray()) {
            List<Integer> ofClass = IntStream.range(0, n).filter(i -> classes[i] == c).boxed().sorted(best).toList();
            List<Integer> keptOfClass = new ArrayList<>();
            for (int i : ofClass) {
                if (keptOfClass.stream().allMatch(k -> overlap(boxes, k, i) <= iou)) {
                    keptOfClass.add(i);
                }
            }
            survivors.addAll(keptOfClass);
        }
        return survivors.stream().sorted(best).limit(maxKeep).mapToInt(Integer::intValue).toArray();
    }

    /** In float, as detectors compute it, so that no pair near the threshold falls the other way. */
    private static float overlap(float[] boxes, int a, int b) {
        float iw = Math.min(boxes[4 * a + 2], boxes[4 * b + 2]) - Math.max(boxes[4 * a], boxes[4 * b]);
        float ih = Math.min(boxes[4 * a + 3], boxes[4 * b + 3]) - Math.max(boxes[4 * a + 1], boxes[4 * b + 1]);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float areaA = (boxes[4 * a + 2] - boxes[4 * a]) * (boxes[4 * a + 3] - boxes[4 * a + 1]);
        float areaB = (boxes[4 * b + 2] - boxes[4 * b]) * (boxes[4 * b + 3] - boxes[4 * b + 1]);
        float inter = iw * ih;
        return inter / (areaA + areaB - inter);
    }
}
