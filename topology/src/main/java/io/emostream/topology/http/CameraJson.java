package io.emostream.topology.http;

import io.emostream.processors.stats.CameraStatus;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.PixelBox;
import io.emostream.schemas.TrackRef;
import io.emostream.schemas.TrackedObject;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shapes of the query API (written by Jackson; absent values are left out). */
public final class CameraJson {
    private CameraJson() { }

    /** One camera in {@code GET /api/cameras}. */
    public record Summary(String cameraId, String lastFrameTime, double framesPerSecond, int objectsNow) {
        static Summary of(String cameraId, CameraStatus status) {
            return new Summary(cameraId, status.lastFrameTime().map(Instant::toString).orElse(null),
                    status.framesPerSecond(), status.objectsNow());
        }
    }

    /** {@code GET /api/cameras}: the cameras of all instances; instances that did not answer are named. */
    public record CameraList(List<Summary> cameras, List<String> unreachableInstances) { }

    /** {@code GET /api/cameras/{id}}: the newest frame's tracks, zones and counts. */
    public record Detail(String cameraId, String lastFrameTime, double framesPerSecond, int objectsNow,
                         Map<String, Integer> counts, Model model, String warning, List<Track> tracks,
                         List<Zone> zones, List<Crossing> crossings) {
        static Detail of(String cameraId, CameraStatus status) {
            Summary summary = Summary.of(cameraId, status);
            FrameTracks tracks = status.latestTracks().orElse(null);
            FrameAnalytics analytics = status.latestAnalytics().orElse(null);
            Model model = tracks == null ? null : Model.of(tracks.getModel());
            return new Detail(cameraId, summary.lastFrameTime(), summary.framesPerSecond(), summary.objectsNow(),
                    counts(tracks, analytics), model,
                    model == null || model.trained() ? null
                            : "the detection model is untrained: tracks and counts do not describe the scene",
                    tracks == null ? List.of() : tracks.getTracks().stream().map(Track::of).toList(),
                    analytics == null ? List.of() : analytics.getZones().stream()
                            .map(z -> new Zone(z.getZoneId(), z.getObjects())).toList(),
                    analytics == null ? List.of() : analytics.getCrossings().stream()
                            .map(c -> new Crossing(c.getLineId(), c.getTrackId(), c.getClassId(),
                                    c.getDirection().name())).toList());
        }

        /** Objects per label in the newest frame, from its tracks, else from its analytics. */
        private static Map<String, Integer> counts(FrameTracks tracks, FrameAnalytics analytics) {
            Map<String, Integer> counts = new TreeMap<>();
            if (tracks != null) {
                for (TrackedObject t : tracks.getTracks()) counts.merge(t.getLabel(), 1, Integer::sum);
            } else if (analytics != null) {
                for (TrackRef t : analytics.getObjects()) counts.merge(t.getLabel(), 1, Integer::sum);
            }
            return counts;
        }
    }

    public record Model(String name, String version, boolean trained) {
        static Model of(ModelInfo info) {
            return new Model(info.getName(), info.getVersion(), info.getTrained());
        }
    }

    public record Track(long trackId, int classId, String label, float score, Box box, long ageMs, int hits,
                        float velocityX, float velocityY) {
        static Track of(TrackedObject t) {
            PixelBox b = t.getBox();
            return new Track(t.getTrackId(), t.getClassId(), t.getLabel(), t.getScore(),
                    new Box(b.getX1(), b.getY1(), b.getX2(), b.getY2()), t.getAgeMs(), t.getHits(),
                    t.getVelocityX(), t.getVelocityY());
        }
    }

    public record Box(float x1, float y1, float x2, float y2) { }

    public record Zone(String zoneId, int objects) { }

    public record Crossing(String lineId, long trackId, int classId, String direction) { }

    /** {@code GET /api/cameras/{id}/stats}: the windows whose start lies in [from, to]. */
    public record StatsList(String cameraId, String from, String to, List<Window> windows) { }

    public record Window(String windowStart, String windowEnd, long frames, List<ClassCount> classes,
                         List<Line> lines, List<ZoneStats> zones, List<Share> segmentation) {
        static Window of(CameraStats s) {
            return new Window(s.getWindowStart().toString(), s.getWindowEnd().toString(), s.getFrames(),
                    s.getClasses().stream().map(c -> new ClassCount(c.getClassId(), c.getLabel(),
                            c.getMeanPerFrame(), c.getMaxPerFrame(), c.getUniqueTracks())).toList(),
                    s.getLines().stream().map(l -> new Line(l.getLineId(), l.getIn(), l.getOut())).toList(),
                    s.getZones().stream().map(z -> new ZoneStats(z.getZoneId(), z.getMeanObjects(),
                            z.getMaxObjects(), z.getExits(), z.getMeanDwellMs())).toList(),
                    s.getSegmentation().stream().map(c -> new Share(c.getClassId(), c.getLabel(),
                            c.getMeanFraction())).toList());
        }
    }

    public record ClassCount(int classId, String label, double meanPerFrame, int maxPerFrame, int uniqueTracks) { }

    public record Line(String lineId, long in, long out) { }

    public record ZoneStats(String zoneId, double meanObjects, int maxObjects, long exits, double meanDwellMs) { }

    public record Share(int classId, String label, double meanFraction) { }

    /** Every error: what went wrong and what to do. */
    public record ErrorMessage(String error) { }
}
