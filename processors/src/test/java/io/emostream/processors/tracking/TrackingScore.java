package io.emostream.processors.tracking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CLEAR-MOT and identity figures of a tracker's output against the truth. Per frame, true and reported boxes are
 * paired greedily by IoU (highest first, at least 0.5). MOTA = 1 - (misses + false positives + id switches) /
 * true boxes. IDF1 = 2 IDTP / (true boxes + reported boxes), with IDTP from a one-to-one mapping of true objects
 * to track ids taken greedily by frames shared: a lower bound of the optimal mapping's figure.
 */
final class TrackingScore {
    private static final double MIN_IOU = 0.5;

    private int truths;
    private int reported;
    private int misses;
    private int falsePositives;
    private int idSwitches;
    private final Map<Integer, Long> lastTrackOf = new HashMap<>();
    private final Map<List<Long>, Integer> sharedFrames = new HashMap<>();

    void add(List<SyntheticScene.Truth> frameTruths, List<TrackedBox> tracks) {
        truths += frameTruths.size();
        reported += tracks.size();
        List<int[]> pairs = new ArrayList<>();
        List<Double> ious = new ArrayList<>();
        for (int g = 0; g < frameTruths.size(); g++) {
            for (int t = 0; t < tracks.size(); t++) {
                double iou = frameTruths.get(g).box().iou(tracks.get(t).box());
                if (iou >= MIN_IOU) {
                    pairs.add(new int[] {g, t});
                    ious.add(iou);
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(ious::get).reversed());
        Set<Integer> usedTruths = new HashSet<>();
        Set<Integer> usedTracks = new HashSet<>();
        for (int i : order) {
            int g = pairs.get(i)[0];
            int t = pairs.get(i)[1];
            if (usedTruths.contains(g) || usedTracks.contains(t)) continue;
            usedTruths.add(g);
            usedTracks.add(t);
            int object = frameTruths.get(g).objectId();
            long track = tracks.get(t).trackId();
            Long previous = lastTrackOf.put(object, track);
            if (previous != null && previous != track) idSwitches++;
            sharedFrames.merge(List.of((long) object, track), 1, Integer::sum);
        }
        misses += frameTruths.size() - usedTruths.size();
        falsePositives += tracks.size() - usedTracks.size();
    }

    double mota() {
        return 1 - (double) (misses + falsePositives + idSwitches) / truths;
    }

    double idf1() {
        List<Map.Entry<List<Long>, Integer>> byShared = new ArrayList<>(sharedFrames.entrySet());
        byShared.sort(Map.Entry.<List<Long>, Integer>comparingByValue().reversed());
        Set<Long> mappedObjects = new HashSet<>();
        Set<Long> mappedTracks = new HashSet<>();
        int idtp = 0;
        for (Map.Entry<List<Long>, Integer> e : byShared) {
            long object = e.getKey().get(0);
            long track = e.getKey().get(1);
            if (mappedObjects.contains(object) || mappedTracks.contains(track)) continue;
            mappedObjects.add(object);
            mappedTracks.add(track);
            idtp += e.getValue();
        }
        return 2.0 * idtp / (truths + reported);
    }

    int idSwitches() {
        return idSwitches;
    }

    int misses() {
        return misses;
    }

    int falsePositives() {
        return falsePositives;
    }

    String summary() {
        return String.format("true boxes=%d reported=%d misses=%d false positives=%d id switches=%d MOTA=%.3f "
                + "IDF1=%.3f", truths, reported, misses, falsePositives, idSwitches, mota(), idf1());
    }
}
