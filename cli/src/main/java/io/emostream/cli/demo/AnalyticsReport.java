package io.emostream.cli.demo;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.ClassShareStats;
import io.emostream.schemas.ClassStats;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.LineStats;
import io.emostream.schemas.ZoneConfig;
import io.emostream.schemas.ZoneStats;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The demo's report of the camera analytics over the whole run, per camera: confirmed tracks per class, line
 * crossings, zone occupancy, segmentation shares overall and per zone, and the windows of camera statistics.
 */
public final class AnalyticsReport {
    private static final int TOP_CLASSES = 3;

    private AnalyticsReport() { }

    /**
     * @param configs   each camera's configured zones and lines, so that a line nobody crossed is listed too
     * @param untrained whether a model has untrained weights
     */
    public static void write(ResultTally tally, Map<String, CameraConfig> configs, boolean untrained,
                             PrintWriter out) {
        out.println(untrained ? "camera analytics (UNTRAINED weights: tracks, crossings and masks follow "
                + "meaningless detections):" : "camera analytics:");
        tally.cameras().forEach((camera, counts) -> {
            if (counts.frames == 0) return;
            CameraConfig config = configs.get(camera);
            CameraStats run = counts.analytics(camera);
            out.println("  " + camera);
            out.println("    tracks: " + tracks(run.getClasses()));
            for (String line : ids(config == null ? List.of() : config.getLines(), LineConfig::getId,
                    run.getLines(), LineStats::getLineId)) {
                LineStats s = find(run.getLines(), LineStats::getLineId, line);
                out.printf(Locale.ROOT, "    line %s: in %d, out %d%n", line, s == null ? 0 : s.getIn(),
                        s == null ? 0 : s.getOut());
            }
            for (String zone : ids(config == null ? List.of() : config.getZones(), ZoneConfig::getId,
                    run.getZones(), ZoneStats::getZoneId)) {
                out.println("    zone " + zone + ": " + zone(find(run.getZones(), ZoneStats::getZoneId, zone)));
            }
            out.println("    segmentation: " + shares(run.getSegmentation()));
            counts.zoneSegmentation().forEach((zone, shares) ->
                    out.println("    segmentation in " + zone + ": " + shares(shares)));
            out.printf(Locale.ROOT, "    camera-stats windows: %d (%d closed)%n", counts.statsWindows(),
                    counts.closedStatsWindows());
        });
    }

    private static String tracks(List<ClassStats> classes) {
        int total = classes.stream().mapToInt(ClassStats::getUniqueTracks).sum();
        if (total == 0) return "none confirmed";
        return total + " confirmed (" + classes.stream()
                .map(c -> c.getLabel() + " " + c.getUniqueTracks()).collect(Collectors.joining(", ")) + ")";
    }

    private static String zone(ZoneStats s) {
        if (s == null) return "no frames analysed";
        String occupancy = String.format(Locale.ROOT, "objects mean %.2f, max %d; exits %d", s.getMeanObjects(),
                s.getMaxObjects(), s.getExits());
        return s.getExits() == 0 ? occupancy
                : occupancy + String.format(Locale.ROOT, ", mean dwell %.1f s", s.getMeanDwellMs() / 1000);
    }

    private static String shares(List<ClassShareStats> shares) {
        if (shares.isEmpty()) return "none";
        return shares.stream().limit(TOP_CLASSES)
                .map(s -> String.format(Locale.ROOT, "%s %.0f%%", s.getLabel(), 100 * s.getMeanFraction()))
                .collect(Collectors.joining(", "));
    }

    /** The configured ids in their order, then any others the analytics reported. */
    private static <C, S> Set<String> ids(List<C> configured, Function<C, String> configuredId, List<S> seen,
                                          Function<S, String> seenId) {
        Set<String> ids = new LinkedHashSet<>();
        Stream.concat(configured.stream().map(configuredId), seen.stream().map(seenId)).forEach(ids::add);
        return ids;
    }

    private static <S> S find(List<S> stats, Function<S, String> id, String wanted) {
        return stats.stream().filter(s -> id.apply(s).equals(wanted)).findFirst().orElse(null);
    }
}
