package io.emostream.models.segmentation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A label map run-length encoded row-major: {@code classIds[i]} repeated {@code runLengths[i]} times, plus each
 * present class's share of the pixels, largest first.
 */
public record RunLengthMask(int width, int height, int[] classIds, int[] runLengths, List<ClassShare> shares) {

    public static RunLengthMask encode(int[] labelMap, int width, int height, IntFunction<String> labels) {
        if (labelMap.length != width * height) {
            throw new IllegalArgumentException("label map of " + labelMap.length + " pixels is not " + width + "x" + height);
        }
        int runs = 0;
        for (int i = 0; i < labelMap.length; i++) {
            if (i == 0 || labelMap[i] != labelMap[i - 1]) {
                runs++;
            }
        }
        int[] ids = new int[runs];
        int[] lengths = new int[runs];
        int r = -1;
        for (int i = 0; i < labelMap.length; i++) {
            if (i == 0 || labelMap[i] != labelMap[i - 1]) {
                ids[++r] = labelMap[i];
            }
            lengths[r]++;
        }
        return new RunLengthMask(width, height, ids, lengths, shares(ids, lengths, labelMap.length, labels));
    }

    private static List<ClassShare> shares(int[] ids, int[] lengths, int pixels, IntFunction<String> labels) {
        java.util.Map<Integer, Long> counts = new java.util.HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            counts.merge(ids[i], (long) lengths[i], Long::sum);
        }
        List<ClassShare> shares = new ArrayList<>(counts.size());
        counts.forEach((id, count) -> shares.add(new ClassShare(id, labels.apply(id), (float) count / pixels)));
        shares.sort(Comparator.comparingDouble(ClassShare::fraction).reversed().thenComparingInt(ClassShare::classId));
        return shares;
    }

    /** The label map back, row-major. */
    public int[] decode() {
        int[] map = new int[width * height];
        int at = 0;
        for (int i = 0; i < classIds.length; i++) {
            java.util.Arrays.fill(map, at, at + runLengths[i], classIds[i]);
            at += runLengths[i];
        }
        return map;
    }
}
