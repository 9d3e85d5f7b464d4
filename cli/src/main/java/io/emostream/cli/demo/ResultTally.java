package io.emostream.cli.demo;

import io.emostream.processors.FailureStage;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.VideoFrame;
import io.emostream.topology.ResultReader;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Accounts for every input frame of a {@link ResultReader} that reads the input and result topics: a frame is
 * answered when a detection or segmentation record names its camera and sequence, or a dead letter names its
 * partition and offset; the rest are lost. It is complete when every enabled model has answered it, with a result
 * or a dead letter.
 */
public final class ResultTally implements ResultReader.Handler {
    /** Per camera: frames in, and the records produced for them. */
    public static final class CameraCounts {
        public long frames;
        public long detections;
        public long segmentations;
        public long deadLetters;
    }

    private record FrameKey(String camera, long sequence) { }

    private record Offset(int partition, long offset) { }

    private static final int DETECTED = 1;
    private static final int SEGMENTED = 2;

    private final Map<Offset, FrameKey> inputs = new HashMap<>();
    private final Set<Offset> undecodableInputs = new HashSet<>();
    private final int expected;
    private final Map<FrameKey, Integer> answered = new HashMap<>();
    private final Map<Offset, Integer> deadLettered = new HashMap<>();
    private final Map<String, CameraCounts> cameras = new TreeMap<>();
    private final List<FrameDetections> examples = new ArrayList<>();
    private final List<FrameSegmentation> segmentationExamples = new ArrayList<>();
    private long detectionCount;
    private long segmentationCount;
    private long deadLetterCount;
    private long lastInferenceMs;

    public ResultTally(boolean detection, boolean segmentation) {
        this.expected = (detection ? DETECTED : 0) | (segmentation ? SEGMENTED : 0);
    }

    @Override
    public void frame(int partition, long offset, VideoFrame frame) {
        inputs.put(new Offset(partition, offset), new FrameKey(frame.getCameraId(), frame.getSequence()));
        camera(frame.getCameraId()).frames++;
    }

    @Override
    public void unreadableFrame(int partition, long offset) {
        undecodableInputs.add(new Offset(partition, offset));
    }

    @Override
    public void detections(FrameDetections d, long writtenMs) {
        detectionCount++;
        answer(d.getCameraId(), d.getSequence(), DETECTED, d.getInferenceTimestamp()).detections++;
        if (examples.size() < 3 && !d.getDetections().isEmpty()) examples.add(d);
    }

    @Override
    public void segmentation(FrameSegmentation s, long writtenMs) {
        segmentationCount++;
        answer(s.getCameraId(), s.getSequence(), SEGMENTED, s.getInferenceTimestamp()).segmentations++;
        if (segmentationExamples.isEmpty()) segmentationExamples.add(s);
    }

    @Override
    public void deadLetter(DeadLetter l) {
        deadLetterCount++;
        int covers = FailureStage.DETECT.id().equals(l.getStage()) ? DETECTED
                : FailureStage.SEGMENT.id().equals(l.getStage()) ? SEGMENTED : DETECTED | SEGMENTED;
        deadLettered.merge(new Offset(l.getPartition(), l.getOffset()), covers, (a, b) -> a | b);
        FrameKey frame = inputs.get(new Offset(l.getPartition(), l.getOffset()));
        camera(frame == null ? "(unknown)" : frame.camera()).deadLetters++;
    }

    /** Records that {@code model} answered the frame; returns its camera's counts. */
    private CameraCounts answer(String camera, long sequence, int model, Instant inferredAt) {
        answered.merge(new FrameKey(camera, sequence), model, (a, b) -> a | b);
        lastInferenceMs = Math.max(lastInferenceMs, inferredAt.toEpochMilli());
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
        return inputs.keySet().stream().filter(o -> outcomes(o) == 0).count()
                + undecodableInputs.stream().filter(o -> !deadLettered.containsKey(o)).count();
    }

    /** Whether every input frame read so far has an answer from every enabled model. */
    public boolean complete() {
        return inputs.keySet().stream().allMatch(o -> (outcomes(o) & expected) == expected)
                && undecodableInputs.stream().allMatch(deadLettered::containsKey);
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
