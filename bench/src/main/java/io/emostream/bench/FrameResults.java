package io.emostream.bench;

import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.StageLatencies;
import io.emostream.topology.ResultReader;
import io.emostream.topology.Topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a run's results and pairs them per frame: a frame is answered when every model of the run has written its
 * result, at the time the last of them was written. Dead letters are counted; the benchmark's frames are valid, so
 * any dead letter means the figures are not those of processed frames.
 */
final class FrameResults implements ResultReader.Handler, AutoCloseable {
    /**
     * One answered frame: its camera and sequence number, when it was captured, when its last result was written,
     * and the primary model's stage times.
     */
    record Result(String cameraId, long sequence, long captureMs, long writtenMs, StageLatencies latencies) {
        long latencyMs() {
            return writtenMs - captureMs;
        }
    }

    private static final class Partial {
        int results;
        long writtenMs;
        StageLatencies latencies;
    }

    private final ResultReader reader;
    private final ModelSet models;
    private final int resultsPerFrame;
    private final Map<String, Partial> pending = new HashMap<>();
    private final List<Result> answered = new ArrayList<>();
    private long deadLetters;
    private String firstDeadLetter;

    FrameResults(String bootstrapServers, Topics topics, ModelSet models) {
        this.models = models;
        this.resultsPerFrame = models.both() ? 2 : 1;
        reader = new ResultReader(bootstrapServers, topics, models.resultKinds(), this);
    }

    /**
     * Reads until {@code count} more frames are answered and returns them (or more, when more arrived at once).
     *
     * @throws IllegalStateException on a dead letter, or when nothing arrived for {@code stall}
     */
    List<Result> collect(int count, Duration stall) {
        List<Result> out = new ArrayList<>();
        boolean done = reader.pollUntil(() -> {
            out.addAll(drain());
            failOnDeadLetter();
            return out.size() >= count;
        }, stall);
        if (!done) {
            throw new IllegalStateException("no result for " + stall.toSeconds() + " s after " + out.size() + " of "
                    + count + " frames; is the application running?");
        }
        return out;
    }

    /** Reads what arrives within {@code wait}. */
    void poll(Duration wait) {
        reader.poll(wait);
    }

    /** The frames answered since the last call. */
    synchronized List<Result> drain() {
        List<Result> out = new ArrayList<>(answered);
        answered.clear();
        return out;
    }

    synchronized long deadLetters() {
        return deadLetters;
    }

    private synchronized void failOnDeadLetter() {
        if (deadLetters > 0) {
            throw new IllegalStateException("a frame went to the dead-letter topic: " + firstDeadLetter);
        }
    }

    @Override
    public void detections(FrameDetections d, long writtenMs) {
        add(d.getCameraId(), d.getSequence(), d.getCaptureTimestamp().toEpochMilli(), writtenMs,
                d.getLatencies(), true);
    }

    @Override
    public void segmentation(FrameSegmentation s, long writtenMs) {
        add(s.getCameraId(), s.getSequence(), s.getCaptureTimestamp().toEpochMilli(), writtenMs,
                s.getLatencies(), models.detection() == null);
    }

    @Override
    public synchronized void deadLetter(DeadLetter dead) {
        if (deadLetters++ == 0) {
            firstDeadLetter = "stage " + dead.getStage() + ": " + dead.getErrorMessage();
        }
    }

    private synchronized void add(String cameraId, long sequence, long captureMs, long writtenMs, StageLatencies latencies,
                                  boolean primary) {
        String frame = cameraId + "/" + sequence;
        Partial p = pending.computeIfAbsent(frame, k -> new Partial());
        p.results++;
        p.writtenMs = Math.max(p.writtenMs, writtenMs);
        if (primary) p.latencies = latencies;
        if (p.results == resultsPerFrame) {
            pending.remove(frame);
            answered.add(new Result(cameraId, sequence, captureMs, p.writtenMs, p.latencies));
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
