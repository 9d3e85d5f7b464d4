package io.emostream.processors.tracking;

import java.util.Arrays;

/**
 * Matches tracks to detections of the same class by IoU: the matching with the greatest total IoU among pairs of at
 * least the minimum IoU (Hungarian). The pairs that may match split the problem into connected groups, usually of
 * one track and one detection each, and each group is solved alone: the optimum is the same, and a scene of many
 * well-separated objects costs little more than the IoU computation.
 */
public final class IouMatching {
    private IouMatching() { }

    /**
     * @return for each track, the index of its detection, or -1
     */
    public static int[] match(Box[] tracks, int[] trackClasses, Box[] detections, int[] detectionClasses,
                              double minIou) {
        int n = tracks.length;
        int m = detections.length;
        int[] matched = new int[n];
        Arrays.fill(matched, -1);
        Candidates candidates = new Candidates(n + m);
        for (int t = 0; t < n; t++) {
            for (int d = 0; d < m; d++) {
                if (trackClasses[t] != detectionClasses[d]) continue;
                double iou = tracks[t].iou(detections[d]);
                if (iou > 0 && iou >= minIou) candidates.add(t, n + d, iou);
            }
        }
        for (int[] group : candidates.groups()) {
            if (group.length == 1) {
                matched[candidates.track[group[0]]] = candidates.detection[group[0]] - n;
            } else {
                solve(candidates, group, matched, n);
            }
        }
        return matched;
    }

    /** Hungarian on one group: cost 1 - IoU for a candidate pair, 1 (the same as no match) for any other. */
    private static void solve(Candidates candidates, int[] group, int[] matched, int n) {
        int[] trackIndex = localIndices(candidates.track, group);
        int[] detectionIndex = localIndices(candidates.detection, group);
        double[][] cost = new double[trackIndex.length][detectionIndex.length];
        for (double[] row : cost) {
            Arrays.fill(row, 1);
        }
        for (int e : group) {
            cost[Arrays.binarySearch(trackIndex, candidates.track[e])]
                [Arrays.binarySearch(detectionIndex, candidates.detection[e])] = 1 - candidates.iou[e];
        }
        int[] columns = HungarianAssignment.solve(cost);
        for (int r = 0; r < columns.length; r++) {
            if (columns[r] >= 0 && cost[r][columns[r]] < 1) matched[trackIndex[r]] = detectionIndex[columns[r]] - n;
        }
    }

    /** The distinct nodes of a group's candidate pairs, sorted. */
    private static int[] localIndices(int[] nodes, int[] group) {
        int[] values = new int[group.length];
        for (int i = 0; i < group.length; i++) {
            values[i] = nodes[group[i]];
        }
        return Arrays.stream(values).sorted().distinct().toArray();
    }

    /** Candidate pairs (edges between track and detection nodes) and their connected groups, by union-find. */
    private static final class Candidates {
        private final int[] parent;
        private int[] track = new int[16];
        private int[] detection = new int[16];
        private double[] iou = new double[16];
        private int size;

        Candidates(int nodes) {
            parent = new int[nodes];
            for (int i = 0; i < nodes; i++) {
                parent[i] = i;
            }
        }

        void add(int trackNode, int detectionNode, double value) {
            if (size == track.length) {
                track = Arrays.copyOf(track, size * 2);
                detection = Arrays.copyOf(detection, size * 2);
                iou = Arrays.copyOf(iou, size * 2);
            }
            track[size] = trackNode;
            detection[size] = detectionNode;
            iou[size] = value;
            size++;
            parent[root(trackNode)] = root(detectionNode);
        }

        /** The candidate indices of each group. */
        int[][] groups() {
            int[] groupOfRoot = new int[parent.length];
            Arrays.fill(groupOfRoot, -1);
            int[] groupOf = new int[size];
            int[] counts = new int[size];
            int groups = 0;
            for (int e = 0; e < size; e++) {
                int r = root(track[e]);
                if (groupOfRoot[r] < 0) groupOfRoot[r] = groups++;
                groupOf[e] = groupOfRoot[r];
                counts[groupOf[e]]++;
            }
            int[][] result = new int[groups][];
            for (int g = 0; g < groups; g++) {
                result[g] = new int[counts[g]];
                counts[g] = 0;
            }
            for (int e = 0; e < size; e++) {
                result[groupOf[e]][counts[groupOf[e]]++] = e;
            }
            return result;
        }

        private int root(int node) {
            while (parent[node] != node) {
                parent[node] = parent[parent[node]];
                node = parent[node];
            }
            return node;
        }
    }
}
