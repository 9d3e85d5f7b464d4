package io.emostream.processors.tracking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One camera's tracker, in the manner of SORT and ByteTrack: each track's box is predicted to the frame's capture
 * time by its {@link BoxFilter}, then matched to the frame's detections of the same class by IoU in two stages
 * ({@link IouMatching}, Hungarian): high-score detections against every live track first, then low-score
 * detections against the tracks still unmatched, which keeps objects whose score drops while partly hidden.
 * Unmatched high-score detections start tentative tracks; a tentative track is confirmed after
 * {@code confirmHits} matches in a row and dropped at its first miss. A confirmed track ends after
 * {@code maxMisses} frames in a row without a match, or when its last match lies more than {@code maxLostMs} of
 * capture time before the frame; ended tracks are dropped, so the state holds live tracks only.
 *
 * <p>Not thread-safe; the tracking processor keeps one per camera in its state store.
 */
public final class Tracker {
    private static final long NO_FRAME = Long.MIN_VALUE;

    private final TrackerSettings settings;
    private final List<Track> tracks;
    private long nextTrackId;
    private long lastCaptureMs;

    /** A tracker that has seen no frame. */
    public Tracker(TrackerSettings settings) {
        this(settings, List.of(), 1, NO_FRAME);
    }

    /** A tracker in a saved state: its live tracks in id order, the next id and the last frame's capture time. */
    public Tracker(TrackerSettings settings, List<Track> tracks, long nextTrackId, long lastCaptureMs) {
        this.settings = settings;
        this.tracks = new ArrayList<>(tracks);
        this.nextTrackId = nextTrackId;
        this.lastCaptureMs = lastCaptureMs;
    }

    /** Whether a frame of this capture time moves the tracker on, i.e. comes after every frame it has seen. */
    public boolean isAfterLastFrame(long captureMs) {
        return captureMs > lastCaptureMs;
    }

    /** Moves the tracks on to a frame that {@linkplain #isAfterLastFrame comes after the last}. */
    public TrackerResult update(long captureMs, List<Observation> observations) {
        if (!isAfterLastFrame(captureMs)) {
            throw new IllegalArgumentException("frame captured at " + captureMs + " is not after the last frame ("
                    + lastCaptureMs + "); use matchLate");
        }
        List<Long> ended = new ArrayList<>();
        endLostTracks(captureMs, ended);
        if (!tracks.isEmpty()) {
            double seconds = (captureMs - lastCaptureMs) / 1000.0;
            for (Track track : tracks) {
                track.filter().predict(seconds);
            }
        }
        lastCaptureMs = captureMs;

        int[] matches = associate(observations);
        boolean[] used = new boolean[observations.size()];
        List<TrackedBox> tracked = new ArrayList<>();
        List<Track> live = new ArrayList<>(tracks.size() + observations.size());
        for (int t = 0; t < tracks.size(); t++) {
            Track track = tracks.get(t);
            if (matches[t] >= 0) {
                Observation observation = observations.get(matches[t]);
                used[matches[t]] = true;
                track.hit(observation, captureMs, settings.confirmHits());
                live.add(track);
                if (track.confirmed()) tracked.add(filtered(track, captureMs));
            } else {
                track.miss();
                if (!track.confirmed()) continue; // tentative: dropped at its first miss, never reported
                if (track.misses() < settings.maxMisses()) live.add(track); else ended.add(track.id());
            }
        }
        for (int o = 0; o < observations.size(); o++) {
            Observation observation = observations.get(o);
            if (used[o] || observation.score() < settings.highScore() || live.size() >= settings.maxTracks()) continue;
            Track track = Track.start(nextTrackId++, observation, captureMs, settings);
            live.add(track);
            if (track.confirmed()) tracked.add(filtered(track, captureMs));
        }
        tracks.clear();
        tracks.addAll(live);
        Collections.sort(ended);
        return new TrackerResult(tracked, ended);
    }

    /**
     * Answers a frame that does not come after the last one (out of order, or a duplicate) without changing the
     * state: its detections are matched to the tracks as they are now, and the confirmed tracks matched are
     * reported with the detections' own boxes. Nothing starts, ends or moves.
     */
    public TrackerResult matchLate(long captureMs, List<Observation> observations) {
        int[] matches = associate(observations);
        List<TrackedBox> tracked = new ArrayList<>();
        for (int t = 0; t < tracks.size(); t++) {
            Track track = tracks.get(t);
            if (matches[t] < 0 || !track.confirmed()) continue;
            Observation observation = observations.get(matches[t]);
            tracked.add(new TrackedBox(track.id(), track.classId(), track.label(), observation.score(),
                    observation.box(), Math.max(0, captureMs - track.startMs()), track.hits(),
                    track.filter().velocityX(), track.filter().velocityY()));
        }
        return new TrackerResult(tracked, List.of());
    }

    /** Live tracks, confirmed and tentative, in id order. */
    public List<Track> tracks() {
        return Collections.unmodifiableList(tracks);
    }

    public long nextTrackId() {
        return nextTrackId;
    }

    /** Capture time of the last frame that updated the tracks; {@link Long#MIN_VALUE} before the first. */
    public long lastCaptureMs() {
        return lastCaptureMs;
    }

    private void endLostTracks(long captureMs, List<Long> ended) {
        tracks.removeIf(track -> {
            boolean lost = captureMs - track.lastHitMs() > settings.maxLostMs();
            if (lost && track.confirmed()) ended.add(track.id());
            return lost;
        });
    }

    /** Two-stage IoU matching of the tracks' current boxes: for each track, its observation's index or -1. */
    private int[] associate(List<Observation> observations) {
        int n = tracks.size();
        Box[] boxes = new Box[n];
        int[] classes = new int[n];
        for (int t = 0; t < n; t++) {
            boxes[t] = tracks.get(t).filter().box();
            classes[t] = tracks.get(t).classId();
        }
        int[] high = scoring(observations, settings.highScore(), Double.POSITIVE_INFINITY);
        int[] low = scoring(observations, settings.lowScore(), settings.highScore());
        int[] matches = new int[n];
        int[] first = IouMatching.match(boxes, classes, boxes(observations, high), classes(observations, high),
                settings.highMatchIou());
        int unmatched = 0;
        for (int t = 0; t < n; t++) {
            matches[t] = first[t] < 0 ? -1 : high[first[t]];
            if (first[t] < 0) unmatched++;
        }
        if (unmatched == 0 || low.length == 0) return matches;
        int[] remaining = new int[unmatched];
        for (int t = 0, k = 0; t < n; t++) {
            if (matches[t] < 0) remaining[k++] = t;
        }
        Box[] remainingBoxes = new Box[unmatched];
        int[] remainingClasses = new int[unmatched];
        for (int k = 0; k < unmatched; k++) {
            remainingBoxes[k] = boxes[remaining[k]];
            remainingClasses[k] = classes[remaining[k]];
        }
        int[] second = IouMatching.match(remainingBoxes, remainingClasses, boxes(observations, low),
                classes(observations, low), settings.lowMatchIou());
        for (int k = 0; k < unmatched; k++) {
            if (second[k] >= 0) matches[remaining[k]] = low[second[k]];
        }
        return matches;
    }

    /** Indices of the observations scoring at least {@code min} and under {@code max}. */
    private static int[] scoring(List<Observation> observations, double min, double max) {
        int[] indices = new int[observations.size()];
        int count = 0;
        for (int o = 0; o < observations.size(); o++) {
            float score = observations.get(o).score();
            if (score >= min && score < max) indices[count++] = o;
        }
        return Arrays.copyOf(indices, count);
    }

    private static Box[] boxes(List<Observation> observations, int[] indices) {
        Box[] boxes = new Box[indices.length];
        for (int i = 0; i < indices.length; i++) {
            boxes[i] = observations.get(indices[i]).box();
        }
        return boxes;
    }

    private static int[] classes(List<Observation> observations, int[] indices) {
        int[] classes = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            classes[i] = observations.get(indices[i]).classId();
        }
        return classes;
    }

    private static TrackedBox filtered(Track track, long captureMs) {
        BoxFilter filter = track.filter();
        return new TrackedBox(track.id(), track.classId(), track.label(), track.score(), filter.box(),
                captureMs - track.startMs(), track.hits(), filter.velocityX(), filter.velocityY());
    }
}
