package io.emostream.cli.annotate;

import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.FrameTracks;
import io.emostream.schemas.ModelInfo;
import io.emostream.schemas.VideoFrame;
import io.emostream.topology.ResultReader;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * The first read of {@code annotate}: one camera's results, tracks and dead letters captured in a time range, and its
 * accepted zones and lines, held by frame so that the second read (the frames) can join them. Results are joined by
 * sequence and capture time, so a camera whose ingest restarted its sequence numbers still gets the right ones.
 */
final class CameraResults implements ResultReader.Handler {
    private record FrameKey(long sequence, long captureMs) { }

    private record Offset(int partition, long offset) { }

    private final Annotator.Request request;
    private final String framesTopic;
    private final Map<FrameKey, FrameResults> byFrame = new HashMap<>();
    private final Map<Offset, List<DeadLetter>> deadLetters = new HashMap<>();
    private final Map<String, ModelInfo> models = new LinkedHashMap<>();
    private final TreeSet<Long> captureTimes = new TreeSet<>();
    private CameraConfig zonesAndLines;

    /** Keeps what belongs to frames of the request's camera captured in its range on {@code framesTopic}. */
    CameraResults(Annotator.Request request, String framesTopic) {
        this.request = request;
        this.framesTopic = framesTopic;
    }

    @Override
    public void detections(FrameDetections d, long writtenMs) {
        if (keep(d.getCameraId(), d.getCaptureTimestamp())) {
            at(d.getSequence(), d.getCaptureTimestamp()).detections = d;
            models.put(d.getModel().getName(), d.getModel());
        }
    }

    @Override
    public void segmentation(FrameSegmentation s, long writtenMs) {
        if (keep(s.getCameraId(), s.getCaptureTimestamp())) {
            at(s.getSequence(), s.getCaptureTimestamp()).segmentation = s;
            models.put(s.getModel().getName(), s.getModel());
        }
    }

    @Override
    public void tracks(FrameTracks t) {
        if (keep(t.getCameraId(), t.getCaptureTimestamp())) at(t.getSequence(), t.getCaptureTimestamp()).tracks = t;
    }

    /** A dead letter of one of the camera's frames: its key is the frame's, the camera id. */
    @Override
    public void deadLetter(DeadLetter letter) {
        if (framesTopic.equals(letter.getTopic()) && letter.getKey() != null
                && request.camera().equals(StandardCharsets.UTF_8.decode(letter.getKey().duplicate()).toString())) {
            deadLetters.computeIfAbsent(new Offset(letter.getPartition(), letter.getOffset()), o -> new ArrayList<>())
                    .add(letter);
        }
    }

    @Override
    public void cameraConfig(String cameraId, CameraConfig config) {
        if (request.camera().equals(cameraId)) zonesAndLines = config;
    }

    /** The camera's zones and lines from the accepted camera-config topic; null when it has none there. */
    CameraConfig zonesAndLines() {
        return zonesAndLines;
    }

    /** What the topics hold for this frame, read at {@code partition} and {@code offset} of the frames topic. */
    FrameResults of(VideoFrame frame, int partition, long offset) {
        FrameResults results = byFrame.getOrDefault(new FrameKey(frame.getSequence(),
                frame.getCaptureTimestamp().toEpochMilli()), FrameResults.NONE);
        return results.withDeadLetters(deadLetters.getOrDefault(new Offset(partition, offset), List.of()));
    }

    /** The models that answered frames in the range, by name, in the order they were first read. */
    Map<String, ModelInfo> models() {
        return models;
    }

    /**
     * The camera's frame rate from the capture times of its results in the range: one over the median interval
     * between them; empty when fewer than two frames have results.
     */
    OptionalDouble framesPerSecond() {
        List<Long> intervals = new ArrayList<>();
        Long previous = null;
        for (long time : captureTimes) {
            if (previous != null) intervals.add(time - previous);
            previous = time;
        }
        if (intervals.isEmpty()) return OptionalDouble.empty();
        intervals.sort(null);
        long median = intervals.get(intervals.size() / 2);
        return median <= 0 ? OptionalDouble.empty() : OptionalDouble.of(1000.0 / median);
    }

    private boolean keep(String cameraId, Instant capture) {
        return request.camera().equals(cameraId) && !capture.isBefore(request.from()) && !capture.isAfter(request.to());
    }

    private FrameResults at(long sequence, Instant capture) {
        captureTimes.add(capture.toEpochMilli());
        return byFrame.computeIfAbsent(new FrameKey(sequence, capture.toEpochMilli()), k -> new FrameResults());
    }
}
