package io.emostream.processors.tracking;

import io.emostream.schemas.KalmanAxis;
import io.emostream.schemas.TrackerState;
import io.emostream.schemas.TrackerTrack;

import java.util.ArrayList;
import java.util.List;

/** A {@link Tracker} to and from its state-store record, {@link TrackerState}. */
public final class TrackerStates {
    private TrackerStates() { }

    public static TrackerState save(String cameraId, Tracker tracker) {
        List<TrackerTrack> tracks = new ArrayList<>(tracker.tracks().size());
        for (Track track : tracker.tracks()) {
            BoxFilter filter = track.filter();
            tracks.add(TrackerTrack.newBuilder()
                    .setTrackId(track.id())
                    .setClassId(track.classId())
                    .setLabel(track.label())
                    .setScore(track.score())
                    .setConfirmed(track.confirmed())
                    .setHits(track.hits())
                    .setMisses(track.misses())
                    .setStartMs(track.startMs())
                    .setLastHitMs(track.lastHitMs())
                    .setCentreX(axis(filter.centreX()))
                    .setCentreY(axis(filter.centreY()))
                    .setWidth(axis(filter.width()))
                    .setHeight(axis(filter.height()))
                    .build());
        }
        return TrackerState.newBuilder()
                .setCameraId(cameraId)
                .setLastCaptureMs(tracker.lastCaptureMs())
                .setNextTrackId(tracker.nextTrackId())
                .setTracks(tracks)
                .build();
    }

    public static Tracker restore(TrackerState state, TrackerSettings settings) {
        List<Track> tracks = new ArrayList<>(state.getTracks().size());
        for (TrackerTrack t : state.getTracks()) {
            BoxFilter filter = BoxFilter.restore(axis(t.getCentreX()), axis(t.getCentreY()), axis(t.getWidth()),
                    axis(t.getHeight()), settings);
            tracks.add(new Track(t.getTrackId(), t.getClassId(), t.getLabel(), t.getScore(), t.getConfirmed(),
                    t.getHits(), t.getMisses(), t.getStartMs(), t.getLastHitMs(),
                    filter));
        }
        return new Tracker(settings, tracks, state.getNextTrackId(), state.getLastCaptureMs());
    }

    private static KalmanAxis axis(BoxFilter.Axis axis) {
        return new KalmanAxis(axis.position(), axis.velocity(), axis.positionVariance(), axis.covariance(),
                axis.velocityVariance());
    }

    private static BoxFilter.Axis axis(KalmanAxis axis) {
        return new BoxFilter.Axis(axis.getPosition(), axis.getVelocity(), axis.getPositionVariance(),
                axis.getCovariance(), axis.getVelocityVariance());
    }
}
