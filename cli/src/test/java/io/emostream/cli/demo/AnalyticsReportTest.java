package io.emostream.cli.demo;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.CrossingDirection;
import io.emostream.schemas.LineConfig;
import io.emostream.schemas.Point;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.ZoneConfig;
import io.emostream.schemas.ZoneOccupancy;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static io.emostream.cli.demo.AnalyticsRecords.analytics;
import static io.emostream.cli.demo.AnalyticsRecords.car;
import static io.emostream.cli.demo.AnalyticsRecords.crossing;
import static io.emostream.cli.demo.AnalyticsRecords.occupancy;
import static io.emostream.cli.demo.AnalyticsRecords.person;
import static io.emostream.cli.demo.AnalyticsRecords.share;
import static io.emostream.cli.demo.AnalyticsRecords.window;
import static io.emostream.cli.demo.AnalyticsRecords.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The demo's per-camera analytics report, from a tally fed by hand. */
class AnalyticsReportTest {
    private static final CameraConfig LOBBY = new CameraConfig("lobby",
            List.of(new ZoneConfig("door", List.of(new Point(0.0, 0.5), new Point(1.0, 0.5), new Point(1.0, 1.0)))),
            List.of(new LineConfig("gate", new Point(0.5, 1.0), new Point(0.5, 0.0)),
                    new LineConfig("back", new Point(0.9, 1.0), new Point(0.9, 0.0))));

    private final ResultTally tally = new ResultTally(true, true, true);
    private long offset;

    @Test
    void eachCameraShowsItsTracksEveryConfiguredLineItsZonesSharesAndWindows() {
        frame("lobby", 0);
        frame("lobby", 1);
        frame("yard", 0);
        tally.frameAnalytics(analytics("lobby", 0, List.of(person(1), car(2)),
                List.of(crossing("gate", 1, CrossingDirection.IN)), List.of(zone("door", 1, 0))));
        tally.frameAnalytics(analytics("lobby", 1, List.of(person(1)), List.of(), List.of(zone("door", 0, 400))));
        tally.occupancy(occupancy("lobby", 0, List.of(share(1, "road", 0.4), share(3, "sky", 0.6)),
                List.of(new ZoneOccupancy("door", List.of(share(1, "road", 1.0))))));
        tally.cameraStats(window("lobby", 0, true));
        tally.cameraStats(window("lobby", 1, false));
        tally.frameAnalytics(analytics("yard", 0, List.of(), List.of(), List.of()));

        assertEquals("""
                camera analytics (UNTRAINED weights: tracks, crossings and masks follow meaningless detections):
                  lobby
                    tracks: 2 confirmed (person 1, car 1)
                    line gate: in 1, out 0
                    line back: in 0, out 0
                    zone door: objects mean 0.50, max 1; exits 1, mean dwell 0.4 s
                    segmentation: sky 60%, road 40%
                    segmentation in door: road 100%
                    camera-stats windows: 2 (1 closed)
                  yard
                    tracks: none confirmed
                    segmentation: none
                    camera-stats windows: 0 (0 closed)
                """, report(Map.of("lobby", LOBBY), true));
    }

    @Test
    void withTrainedModelsTheHeaderMakesNoWarning() {
        frame("lobby", 0);
        assertEquals("camera analytics:", report(Map.of(), false).lines().findFirst().orElseThrow());
    }

    private void frame(String camera, long sequence) {
        VideoFrame f = new VideoFrame();
        f.setCameraId(camera);
        f.setSequence(sequence);
        f.setCaptureTimestamp(AnalyticsRecords.T0.plusMillis(100 * sequence));
        tally.frame(0, offset++, f);
    }

    private String report(Map<String, CameraConfig> configs, boolean untrained) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            AnalyticsReport.write(tally, configs, untrained, out);
        }
        return text.toString();
    }
}
