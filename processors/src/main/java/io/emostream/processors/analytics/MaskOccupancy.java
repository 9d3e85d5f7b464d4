package io.emostream.processors.analytics;

import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.ZoneOccupancy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each segmentation class's share of a frame's pixels, overall and within each zone, read from the run-length mask
 * without expanding it: the runs are walked row piece by row piece, and within a zone each piece is intersected
 * with the zone's inside columns on that row ({@link Polygon#columnRuns}). A pixel belongs to a zone when its
 * centre does. Free of Kafka.
 */
public final class MaskOccupancy {
    private MaskOccupancy() { }

    public static FrameOccupancy of(FrameSegmentation segmentation, CameraGeometry geometry) {
        int width = segmentation.getMaskWidth();
        int height = segmentation.getMaskHeight();
        List<Integer> classIds = segmentation.getMask().getClassIds();
        List<Integer> runLengths = segmentation.getMask().getRunLengths();
        checkMask(segmentation, width, height, classIds, runLengths);

        List<CameraGeometry.Zone> zones = geometry.zones();
        int[][][] inside = new int[zones.size()][][];
        long[] zonePixels = new long[zones.size()];
        List<Map<Integer, Long>> zoneCounts = new ArrayList<>();
        for (int z = 0; z < zones.size(); z++) {
            inside[z] = new int[height][];
            for (int row = 0; row < height; row++) {
                inside[z][row] = zones.get(z).polygon().columnRuns((row + 0.5) / height, width);
                for (int k = 0; k < inside[z][row].length; k += 2) {
                    zonePixels[z] += inside[z][row][k + 1] - inside[z][row][k];
                }
            }
            zoneCounts.add(new HashMap<>());
        }

        Map<Integer, Long> counts = new HashMap<>();
        long at = 0;
        for (int i = 0; i < classIds.size(); i++) {
            int classId = classIds.get(i);
            long end = at + runLengths.get(i);
            if (end == at) continue;
            counts.merge(classId, end - at, Long::sum);
            while (!zones.isEmpty() && at < end) { // the run's piece on one row
                int row = (int) (at / width);
                long rowStart = (long) row * width;
                int from = (int) (at - rowStart);
                int to = (int) (Math.min(end, rowStart + width) - rowStart);
                for (int z = 0; z < zones.size(); z++) {
                    long overlap = overlap(inside[z][row], from, to);
                    if (overlap > 0) zoneCounts.get(z).merge(classId, overlap, Long::sum);
                }
                at = rowStart + to;
            }
            at = end;
        }

        Map<Integer, String> labels = new HashMap<>();
        segmentation.getClassFractions().forEach(f -> labels.put(f.getClassId(), f.getLabel()));
        List<ZoneOccupancy> zoneOccupancy = new ArrayList<>(zones.size());
        for (int z = 0; z < zones.size(); z++) {
            zoneOccupancy.add(new ZoneOccupancy(zones.get(z).id(), fractions(zoneCounts.get(z), zonePixels[z],
                    labels)));
        }
        return FrameOccupancy.newBuilder()
                .setCameraId(segmentation.getCameraId())
                .setSequence(segmentation.getSequence())
                .setCaptureTimestamp(segmentation.getCaptureTimestamp())
                .setClassFractions(fractions(counts, (long) width * height, labels))
                .setZones(zoneOccupancy)
                .build();
    }

    private static void checkMask(FrameSegmentation s, int width, int height, List<Integer> classIds,
                                  List<Integer> runLengths) {
        String frame = "segmentation of frame " + s.getSequence() + " of camera " + s.getCameraId();
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(frame + ": mask size " + width + "x" + height + " is empty");
        }
        if (classIds.size() != runLengths.size()) {
            throw new IllegalArgumentException(frame + ": the mask has " + classIds.size() + " class ids but "
                    + runLengths.size() + " run lengths");
        }
        long total = 0;
        for (int length : runLengths) {
            if (length < 0) throw new IllegalArgumentException(frame + ": the mask has a negative run length");
            total += length;
        }
        if (total != (long) width * height) {
            throw new IllegalArgumentException(frame + ": the mask's runs cover " + total + " pixels, not "
                    + width + "x" + height);
        }
    }

    /** Pixels of columns [from, to) inside the [start, end) pairs of {@code runs}. */
    private static long overlap(int[] runs, int from, int to) {
        long pixels = 0;
        for (int k = 0; k < runs.length && runs[k] < to; k += 2) {
            pixels += Math.max(0, Math.min(to, runs[k + 1]) - Math.max(from, runs[k]));
        }
        return pixels;
    }

    /** Largest first, then by class id; none for an empty area. */
    private static List<ClassFraction> fractions(Map<Integer, Long> counts, long pixels, Map<Integer, String> labels) {
        List<ClassFraction> out = new ArrayList<>(counts.size());
        if (pixels == 0) return out;
        counts.forEach((id, count) -> out.add(new ClassFraction(id, labels.getOrDefault(id, "class " + id),
                (float) ((double) count / pixels))));
        out.sort(Comparator.comparingDouble(ClassFraction::getFraction).reversed()
                .thenComparingInt(ClassFraction::getClassId));
        return out;
    }
}
