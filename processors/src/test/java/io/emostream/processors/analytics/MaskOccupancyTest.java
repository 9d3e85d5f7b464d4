package io.emostream.processors.analytics;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.ClassFraction;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.RunLengthMask;
import io.emostream.schemas.StageLatencies;
import io.emostream.schemas.ZoneConfig;
import io.emostream.schemas.ZoneOccupancy;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.emostream.processors.analytics.CameraConfigs.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Occupancy from the runs, checked against expanding the mask pixel by pixel on random masks and zones. */
class MaskOccupancyTest {

    static FrameSegmentation segmentation(int width, int height, List<Integer> classIds, List<Integer> runs) {
        List<ClassFraction> present = classIds.stream().distinct()
                .map(id -> new ClassFraction(id, "label-" + id, 0f)).toList();
        return FrameSegmentation.newBuilder().setCameraId("cam-1").setSequence(3)
                .setCaptureTimestamp(Instant.EPOCH).setIngestTimestamp(Instant.EPOCH)
                .setInferenceTimestamp(Instant.EPOCH).setFrameWidth(width * 4).setFrameHeight(height * 4)
                .setMaskWidth(width).setMaskHeight(height)
                .setModel(new ModelInfo("fixture-masks", "0", false, "cpu"))
                .setMask(new RunLengthMask(classIds, runs)).setClassFractions(present)
                .setLatencies(StageLatencies.newBuilder().build()).build();
    }

    /**
     * A random polygon, often concave, star-shaped around a random centre: its points go once around the centre at
     * random radii, no two more than half a turn apart, so it is simple.
     */
    private static ZoneConfig randomZone(Random random, String id) {
        int n = 3 + random.nextInt(9);
        double[] angles = new double[n];
        for (int i = 0; i < n; i++) angles[i] = 2 * Math.PI * (i + 0.4 * random.nextDouble()) / n;
        double cx = 0.2 + 0.6 * random.nextDouble();
        double cy = 0.2 + 0.6 * random.nextDouble();
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double r = 0.05 + 0.15 * random.nextDouble();
            xy[2 * i] = cx + r * Math.cos(angles[i]);
            xy[2 * i + 1] = cy + r * Math.sin(angles[i]);
        }
        return zone(id, xy);
    }

    /** Class id -> fraction of the pixels whose centre is in the polygon (all pixels when null), by expansion. */
    private static Map<Integer, Float> bruteForce(int[] labels, int width, int height, Polygon polygon) {
        Map<Integer, Long> counts = new HashMap<>();
        long pixels = 0;
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                if (polygon == null || polygon.contains(Polygon.pixelCentre(col, width), (row + 0.5) / height)) {
                    counts.merge(labels[row * width + col], 1L, Long::sum);
                    pixels++;
                }
            }
        }
        Map<Integer, Float> fractions = new HashMap<>();
        long total = pixels;
        counts.forEach((id, count) -> fractions.put(id, (float) ((double) count / total)));
        return fractions;
    }

    private static Map<Integer, Float> asMap(List<ClassFraction> fractions) {
        Map<Integer, Float> out = new HashMap<>();
        fractions.forEach(f -> out.put(f.getClassId(), f.getFraction()));
        return out;
    }

    @Test
    void sharesFromTheRunsEqualThoseOfTheExpandedMaskOnRandomMasksAndZones() {
        Random random = new Random(12);
        int zonesChecked = 0;
        for (int round = 0; round < 300; round++) {
            int width = 1 + random.nextInt(60);
            int height = 1 + random.nextInt(60);
            int[] labels = new int[width * height];
            List<Integer> ids = new ArrayList<>();
            List<Integer> runs = new ArrayList<>();
            int classes = 1 + random.nextInt(5);
            for (int at = 0; at < labels.length; ) {
                // long runs span rows; short ones split them
                int length = Math.min(labels.length - at, 1 + random.nextInt(random.nextBoolean() ? 3 * width : 4));
                int id = random.nextInt(classes) * 7;
                Arrays.fill(labels, at, at + length, id);
                ids.add(id);
                runs.add(length);
                at += length;
            }
            List<ZoneConfig> zones = List.of(randomZone(random, "a"), randomZone(random, "b"));
            CameraGeometry geometry = CameraGeometry.of(new CameraConfig("cam-1", zones, List.of()));

            FrameOccupancy occupancy = MaskOccupancy.of(segmentation(width, height, ids, runs), geometry);

            assertEquals(bruteForce(labels, width, height, null), asMap(occupancy.getClassFractions()));
            for (int z = 0; z < zones.size(); z++) {
                ZoneOccupancy zone = occupancy.getZones().get(z);
                assertEquals(zones.get(z).getId(), zone.getZoneId());
                Map<Integer, Float> expected = bruteForce(labels, width, height, geometry.zones().get(z).polygon());
                assertEquals(expected, asMap(zone.getClassFractions()), "round " + round + " zone " + z);
                if (!expected.isEmpty()) zonesChecked++;
            }
        }
        assertEquals(true, zonesChecked > 400, "most random zones cover pixels: " + zonesChecked);
    }

    @Test
    void sharesAreLargestFirstWithTheSegmentationsLabels() {
        // 4x2: row 0 = 1 1 2 2, row 1 = 2 2 2 5; zone = left half
        FrameSegmentation s = segmentation(4, 2, List.of(1, 2, 5), List.of(2, 5, 1));
        CameraGeometry left = CameraGeometry.of(new CameraConfig("cam-1",
                List.of(zone("left", 0, 0, 0.5, 0, 0.5, 1, 0, 1)), List.of()));
        FrameOccupancy occupancy = MaskOccupancy.of(s, left);
        assertEquals(List.of(new ClassFraction(2, "label-2", 0.625f), new ClassFraction(1, "label-1", 0.25f),
                new ClassFraction(5, "label-5", 0.125f)), occupancy.getClassFractions());
        assertEquals(List.of(new ClassFraction(1, "label-1", 0.5f), new ClassFraction(2, "label-2", 0.5f)),
                occupancy.getZones().get(0).getClassFractions());
        assertEquals("cam-1", occupancy.getCameraId());
        assertEquals(3, occupancy.getSequence());
    }

    @Test
    void aZoneSmallerThanAPixelCentreHasNoShares() {
        CameraGeometry sliver = CameraGeometry.of(new CameraConfig("cam-1",
                List.of(zone("sliver", 0.01, 0.01, 0.02, 0.01, 0.02, 0.02)), List.of()));
        FrameOccupancy occupancy = MaskOccupancy.of(segmentation(4, 4, List.of(0), List.of(16)), sliver);
        assertEquals(List.of(new ZoneOccupancy("sliver", List.of())), occupancy.getZones());
    }

    @Test
    void aMaskWhoseRunsDoNotCoverItsSizeIsRejected() {
        assertEquals("segmentation of frame 3 of camera cam-1: the mask's runs cover 15 pixels, not 4x4",
                assertThrows(IllegalArgumentException.class, () -> MaskOccupancy.of(
                        segmentation(4, 4, List.of(0), List.of(15)), CameraGeometry.NONE)).getMessage());
        assertEquals("segmentation of frame 3 of camera cam-1: the mask has 2 class ids but 1 run lengths",
                assertThrows(IllegalArgumentException.class, () -> MaskOccupancy.of(
                        segmentation(4, 4, List.of(0, 1), List.of(16)), CameraGeometry.NONE)).getMessage());
        assertEquals("segmentation of frame 3 of camera cam-1: mask size 0x4 is empty",
                assertThrows(IllegalArgumentException.class, () -> MaskOccupancy.of(
                        segmentation(0, 4, List.of(), List.of()), CameraGeometry.NONE)).getMessage());
    }
}
