package io.emostream.models.detection;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ScoreOrderTest {
    @Test
    void theBestKComeFirstInTheOrderOfAFullSortTiesIncluded() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(3000);
            float[] scores = new float[n + 5];
            for (int i = 0; i < scores.length; i++) {
                // few distinct values, so that many scores tie and the index decides
                scores[i] = random.nextInt(trial % 2 == 0 ? 5 : 100_000) / 7f;
            }
            int offset = trial;
            int[] candidates = IntStream.range(0, n).map(i -> (i * 31 + offset) % scores.length).distinct().toArray();
            int[] full = candidates.clone();
            ScoreOrder.sortDescending(full, full.length, scores);
            int k = 1 + random.nextInt(candidates.length + 10);
            int[] best = candidates.clone();
            ScoreOrder.sortBest(best, best.length, k, scores);
            int kept = Math.min(k, candidates.length);
            assertArrayEquals(Arrays.copyOf(full, kept), Arrays.copyOf(best, kept), "n=" + n + ", k=" + k);
        }
    }
}
