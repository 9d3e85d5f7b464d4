package io.emostream.bench.jmh;

import io.emostream.processors.analytics.CameraGeometry;
import io.emostream.processors.analytics.MaskOccupancy;
import io.emostream.processors.analytics.ZoneLineAnalyzer;
import io.emostream.processors.tracking.Tracker;
import io.emostream.processors.tracking.TrackerSettings;
import io.emostream.processors.tracking.TrackRecords;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.state.ZoneAnalyticsState;
import io.emostream.topology.analytics.ZoneAnalytics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;

/**
 * The camera analytics' per-frame logic on the {@link StreetScene}, without Kafka or stores, default settings.
 * {@code trackAndAnalyzeFrame}: a frame's 50 detections through the tracker into its {@code FrameTracks}, then the
 * zone and line analytics of those tracks (three zones, two lines); {@code maskOccupancy}: class shares overall and
 * per zone of a 512 x 512 street mask (DeepLabv3's input size, the default mask size).
 */
@State(Scope.Thread)
public class ZoneAnalyticsBenchmark {
    private final StreetScene scene = new StreetScene();
    private final CameraGeometry geometry = CameraGeometry.of(StreetScene.CONFIG);
    private final ZoneLineAnalyzer analyzer = new ZoneLineAnalyzer(ZoneAnalytics.DEFAULT_REFERENCE_POINT,
            ZoneAnalytics.DEFAULT_TRACK_IDLE_MS);
    private final ZoneAnalyticsState state = new ZoneAnalyticsState(new ArrayList<>());
    private Tracker tracker;
    private FrameSegmentation segmentation;

    @Setup
    public void setUp() {
        tracker = new Tracker(TrackerSettings.defaults());
        for (int f = 0; f < StreetScene.PERIOD; f++) {
            trackAndAnalyzeFrame();
        }
        segmentation = scene.segmentation(512);
    }

    @Benchmark
    public FrameAnalytics trackAndAnalyzeFrame() {
        FrameDetections frame = scene.next();
        return analyzer.analyze(geometry, TrackRecords.frameTracks(frame, tracker.update(
                frame.getCaptureTimestamp().toEpochMilli(), TrackRecords.observations(frame))), state);
    }

    @Benchmark
    public FrameOccupancy maskOccupancy() {
        return MaskOccupancy.of(segmentation, geometry);
    }
}
