package io.emostream.models.detection;

import java.util.Arrays;

/** Sorts indices by score, best first, without boxing: each (score, index) pair is packed into one long. */
final class ScoreOrder {
    private ScoreOrder() { }

    /** The first {@code n} entries of {@code indices}, reordered by {@code scores[index]} descending (ties: lower index first). */
    static void sortDescending(int[] indices, int n, float[] scores) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(scores[indices[i]]);
            int ordered = bits ^ ((bits >> 31) & 0x7fffffff); // ascending int order == ascending float order
            keys[i] = ((long) ~ordered << 32) | (indices[i] & 0xffffffffL); // ~ makes ascending sort = descending score
        }
        Arrays.sort(keys);
        for (int i = 0; i < n; i++) {
            indices[i] = (int) keys[i];
        }
    }
}
