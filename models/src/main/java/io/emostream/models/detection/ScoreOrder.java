package io.emostream.models.detection;

import java.util.Arrays;

/** Sorts indices by score, best first, without boxing: each (score, index) pair is packed into one long. */
final class ScoreOrder {
    private ScoreOrder() { }

    /** The first {@code n} entries of {@code indices}, reordered by {@code scores[index]} descending (ties: lower index first). */
    static void sortDescending(int[] indices, int n, float[] scores) {
        sortBest(indices, n, n, scores);
    }

    /**
     * The best {@code k} of the first {@code n} entries of {@code indices} moved to its front in the order
     * {@link #sortDescending} gives them; the rest of the first {@code n} are left in no particular order. Selecting
     * before sorting costs O(n + k log k) instead of O(n log n): thousands of candidates pass a low score threshold,
     * of which a level keeps the best thousand.
     */
    static void sortBest(int[] indices, int n, int k, float[] scores) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(scores[indices[i]]);
            int ordered = bits ^ ((bits >> 31) & 0x7fffffff); // ascending int order == ascending float order
            keys[i] = ((long) ~ordered << 32) | (indices[i] & 0xffffffffL); // ~ makes ascending sort = descending score
        }
        int best = Math.min(k, n);
        if (best < n) selectSmallest(keys, n, best);
        Arrays.sort(keys, 0, best);
        for (int i = 0; i < best; i++) {
            indices[i] = (int) keys[i];
        }
    }

    /** Quickselect (Hoare partition, median-of-three pivot): the {@code k} smallest of distinct keys to the front. */
    private static void selectSmallest(long[] keys, int n, int k) {
        int target = k - 1;
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            long pivot = medianOfThree(keys[lo], keys[(lo + hi) >>> 1], keys[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (keys[i] < pivot) i++;
                while (keys[j] > pivot) j--;
                if (i <= j) {
                    long t = keys[i];
                    keys[i++] = keys[j];
                    keys[j--] = t;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return; // keys[target] is the pivot, in place
            }
        }
    }

    private static long medianOfThree(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
