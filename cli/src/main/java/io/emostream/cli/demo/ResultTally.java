package io.emostream.cli.demo;

import io.emostream.processors.FailureStage;
import io.emostream.processors.stats.WindowStats;
import io.emostream.schemas.CameraStats;
import io.emostream.schemas.ClassShareStats;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameAnalytics;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameOccupancy;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.ZoneOccupancy;
import io.emostream.topology.ResultReader;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Accounts for every input frame of a {@link ResultReader} that reads the input, result and analytics topics: a
 * frame is answered when a detection or segmentation record names its camera and sequence, or a dead letter names
 * its partition and offset; the rest are lost. It is complete when every enabled model has answered it, with a
 * result or a dead letter, and, with the analytics on, a frame with detections has its tracks and frame analytics
 * and a frame with a segmentation its occupancy (or the dead letter of the analytics that rejected it). Per camera it
 * sums the analytics over the whole run, and counts the windows of camera statistics.
 */
public final class ResultTally implements ResultReader.Handler {
    /** Per camera: frames in, the records produced for them, and their analytics. */
    public static final class CameraCounts {
        public long frames;
        public long detections;
        public long segmentations;
        public long deadLetters;

        /** The whole run as one window of the camera statistics, so that it is summed the same way. */
        private final WindowStats analytics = new WindowStats();
        /** Per zone, its pixels' segmentation shares, summed as the camera's are. */
        private final Map<String, WindowStats> zoneShares = new TreeMap<>();
        private final Set<Instant> statsWindows = new HashSet<>();
        private final Set<Instant> closedStatsWindows = new HashSet<>();
        private Instant firstCapture = Instant.MAX;
        private Instant lastCapture = Instant.MIN;

        private void captured(Instant at) {
            if (at.isBefore(firstCapture)) firstCapture = at;
            if (at.isAfter(lastCapture)) lastCapture = at;
        }

        private void add(FrameOccupancy occupancy) {
            analytics.add(occupancy);
            for (ZoneOccupancy zone : occupancy.getZones()) {
                // the zone's shares as a frame of their own
                zoneShares.computeIfAbsent(zone.getZoneId(), id -> new WindowStats()).add(FrameOccupancy
                        .newBuilder(occupancy).setClassFractions(zone.getClassFractions()).setZones(List.of())
                        .build());
            }
        }

        private void add(CameraStats window) {
            statsWindows.add(window.getWindowStart());
            if (window.getFinal$()) closedStatsWindows.add(window.getWindowStart());
        }

        /**
         * The camera's analytics over the run, from its first to its last frame's capture time: confirmed tracks
         * per class, line crossings, zone occupancy, mean segmentation shares (largest first).
         */
        public CameraStats analytics(String camera) {
            CameraStats run = analytics.toCameraStats(camera, start(), end(), true);
            run.setSegmentation(largestFirst(run.getSegmentation()));
            return run;
        }

        /** Per zone (in zone id order), the mean segmentation shares of its pixels over the run, largest first. */
        public Map<String, List<ClassShareStats>> zoneSegmentation() {
            Map<String, List<ClassShareStats>> zones = new LinkedHashMap<>();
            zoneShares.forEach((zone, shares) -> zones.put(zone,
                    largestFirst(shares.toCameraStats(zone, start(), end(), true).getSegmentation())));
            return zones;
        }

        /** The first frame's capture time; the epoch when no frame was read. */
        private Instant start() {
            return frames == 0 ? Instant.EPOCH : firstCapture;
        }

        private Instant end() {
            return frames == 0 ? Instant.EPOCH : lastCapture;
        }

        /** Windows of camera statistics seen: final ones and updates of those still open. */
        public int statsWindows() {
            return statsWindows.size();
        }

        /** Windows of camera statistics that closed (their final record arrived). */
        public int closedStatsWindows() {
            return closedStatsWindows.size();
        }

        private static List<ClassShareStats> largestFirst(List<ClassShareStats> shares) {
            List<ClassShareStats> sorted = new ArrayList<>(shares);
            sorted.sort(Comparator.comparingDouble(ClassShareStats::getMeanFraction).reversed());
            return sorted;
        }
    }

    private record FrameKey(String camera, long sequence) { }

    private record Offset(int partition, long offset) { }

    private static final int DETECTED = 1;
    private static final int SEGMENTED = 2;
    private static final int TRACKED = 4;
    private static final int ANALYZED = 8;
    private static final int OCCUPIED = 16;
    /** The answers that make a frame not lost: a result or a dead letter of a model. */
    private static final int MODELS = DETECTED | SEGMENTED;
    /**
     * What a dead letter answers, by stage: a model's, the analytics of one frame, or nothing of any frame (a camera
     * configuration record). Frames that could not be read or decoded, and stages this version does not know, are
     * answered for both models.
     */
    private static final Map<String, Integer> ANSWERED_BY_STAGE = Map.of(
            FailureStage.DETECT.id(), DETECTED,
            FailureStage.SEGMENT.id(), SEGMENTED,
            FailureStage.ZONES.id(), ANALYZED,
            FailureStage.OCCUPANCY.id(), OCCUPIED,
            FailureStage.CAMERA_CONFIG.id(), 0);
    private static final String UNKNOWN_CAMERA = "(unknown)";

    private final Map<Offset, FrameKey> inputs = new HashMap<>();
    private final Set<Offset> undecodableInputs = new HashSet<>();
    private final int expected;
    private final boolean analytics;
    private final Map<FrameKey, Integer> answered = new HashMap<>();
    private final Map<Offset, Integer> deadLettered = new HashMap<>();
    private final Map<String, CameraCounts> cameras = new TreeMap<>();
    private final List<FrameDetections> examples = new ArrayList<>();
    private final List<FrameSegmentation> segmentationExamples = new ArrayList<>();
    private long detectionCount;
    private long segmentationCount;
    private long deadLetterCount;
    private long lastInferenceMs;

    /** @param analytics whether the camera analytics run (they owe tracks, frame analytics and occupancy) */
    public ResultTally(boolean detection, boolean segmentation, boolean analytics) {
        this.expected = (detection ? DETECTED : 0) | (segmentation ? SEGMENTED : 0);
        this.analytics = analytics;
    }

    @Override
    public void frame(int partition, long offset, VideoFrame frame) {
        inputs.put(new Offset(partition, offset), new FrameKey(frame.getCameraId(), frame.getSequence()));
        CameraCounts camera = camera(frame.getCameraId());
        camera.frames++;
        camera.captured(frame.getCaptureTimestamp());
    }

    @Override
    public void unreadableFrame(int partition, long offset) {
        undecodableInputs.add(new Offset(partition, offset));
    }

    @Override
    public void detections(FrameDetections d, long writtenMs) {
        detectionCount++;
        modelAnswered(d.getCameraId(), d.getSequence(), DETECTED, d.getInferenceTimestamp()).detections++;
        if (examples.size() < 3 && !d.getDetections().isEmpty()) examples.add(d);
    }

    @Override
    public void segmentation(FrameSegmentation s, long writtenMs) {
        segmentationCount++;
        modelAnswered(s.getCameraId(), s.getSequence(), SEGMENTED, s.getInferenceTimestamp()).segmentations++;
        if (segmentationExamples.isEmpty()) segmentationExamples.add(s);
    }

    @Override
    public void deadLetter(DeadLetter l) {
        deadLetterCount++;
        int answers = ANSWERED_BY_STAGE.getOrDefault(l.getStage(), MODELS);
        Offset at = new Offset(l.getPartition(), l.getOffset());
        if (answers == 0) {
            // its partition and offset are those of a camera-config record, whose key is the camera id
            camera(l.getKey() == null ? UNKNOWN_CAMERA
                    : StandardCharsets.UTF_8.decode(l.getKey().duplicate()).toString()).deadLetters++;
            return;
        }
        deadLettered.merge(at, answers, (a, b) -> a | b);
        FrameKey frame = inputs.get(at);
        camera(frame == null ? UNKNOWN_CAMERA : frame.camera()).deadLetters++;
    }

    @Override
    public void tracks(FrameTracks tracks) {
        answer(tracks.getCameraId(), tracks.getSequence(), TRACKED);
    }

    @Override
    public void frameAnalytics(FrameAnalytics frame) {
        if (answer(frame.getCameraId(), frame.getSequence(), ANALYZED)) {
            camera(frame.getCameraId()).analytics.add(frame);
        }
    }

    @Override
    public void occupancy(FrameOccupancy occupancy) {
        if (answer(occupancy.getCameraId(), occupancy.getSequence(), OCCUPIED)) {
            camera(occupancy.getCameraId()).add(occupancy);
        }
    }

    @Override
    public void cameraStats(CameraStats window) {
        camera(window.getCameraId()).add(window);
    }

    /** Records the answer; returns whether it is the frame's first of this kind (not a duplicate). */
    private boolean answer(String camera, long sequence, int kind) {
        int before = answered.getOrDefault(new FrameKey(camera, sequence), 0);
        answered.put(new FrameKey(camera, sequence), before | kind);
        return (before & kind) == 0;
    }

    /** Records a model's answer and when it was inferred; returns the camera's counts, for the caller's model. */
    private CameraCounts modelAnswered(String camera, long sequence, int kind, Instant inferred) {
        answer(camera, sequence, kind);
        lastInferenceMs = Math.max(lastInferenceMs, inferred.toEpochMilli());
        return camera(camera);
    }

    private CameraCounts camera(String id) {
        return cameras.computeIfAbsent(id, k -> new CameraCounts());
    }

    public long frames() {
        return inputs.size() + undecodableInputs.size();
    }

    public long detections() {
        return detectionCount;
    }

    public long segmentations() {
        return segmentationCount;
    }

    public long deadLetters() {
        return deadLetterCount;
    }

    /** Input frames with neither a result nor a dead letter (so far). */
    public long lost() {
        return inputs.keySet().stream().filter(o -> (outcomes(o) & MODELS) == 0).count()
                + undecodableInputs.stream().filter(o -> !deadLettered.containsKey(o)).count();
    }

    /** Whether every input frame read so far has every answer it is owed (see the class comment). */
    public boolean complete() {
        return inputs.keySet().stream().allMatch(o -> (outcomes(o) & owed(o)) == owed(o))
                && undecodableInputs.stream().allMatch(deadLettered::containsKey);
    }

    /** Whether every camera that sent frames has at least one window of camera statistics (so far). */
    public boolean everyCameraHasStats() {
        return !cameras.isEmpty() && cameras.values().stream().allMatch(c -> c.statsWindows() > 0);
    }

    /** The answers a frame is owed: every enabled model's, and the analytics of the results it got. */
    private int owed(Offset input) {
        int results = answered.getOrDefault(inputs.get(input), 0);
        int owed = expected;
        if (analytics && (results & DETECTED) != 0) owed |= TRACKED | ANALYZED;
        if (analytics && (results & SEGMENTED) != 0) owed |= OCCUPIED;
        return owed;
    }

    private int outcomes(Offset input) {
        return answered.getOrDefault(inputs.get(input), 0) | deadLettered.getOrDefault(input, 0);
    }

    public Map<String, CameraCounts> cameras() {
        return cameras;
    }

    public List<FrameDetections> detectionExamples() {
        return examples;
    }

    public List<FrameSegmentation> segmentationExamples() {
        return segmentationExamples;
    }

    /** Wall-clock time of the latest result, epoch milliseconds. */
    public long lastInferenceMs() {
        return lastInferenceMs;
    }
}
