package io.emostream.cli.e2e;

import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.ResultReader;
import io.emostream.topology.Topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Collects what a {@link ResultReader} reads from the result topics, for the assertions. */
final class ResultCollector implements ResultReader.Handler, AutoCloseable {
    final List<FrameDetections> detections = new ArrayList<>();
    final List<FrameSegmentation> segmentations = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();

    private static final Set<ResultReader.Kind> KINDS = EnumSet.of(ResultReader.Kind.DETECTIONS,
            ResultReader.Kind.SEGMENTATIONS, ResultReader.Kind.DEAD_LETTERS);

    private final ResultReader reader;

    ResultCollector(String bootstrapServers, Topics topics) {
        reader = new ResultReader(bootstrapServers, topics, KINDS, this);
    }

    /** With the consumer settings {@code client}: the cluster's address and its security settings. */
    ResultCollector(Map<String, Object> client, EmoStreamConfig config) {
        reader = new ResultReader(client, config, KINDS, this);
    }

    @Override
    public void detections(FrameDetections result, long writtenMs) {
        detections.add(result);
    }

    @Override
    public void segmentation(FrameSegmentation result, long writtenMs) {
        segmentations.add(result);
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        deadLetters.add(letter);
    }

    /** Polls until {@code done} holds; fails with the counts so far when nothing arrives for {@code stall}. */
    void pollUntil(Predicate<ResultCollector> done, Duration stall) {
        if (!reader.pollUntil(() -> done.test(this), stall)) {
            throw new AssertionError("nothing new for " + stall + " with " + this);
        }
    }

    /** Keeps polling for {@code period}, to catch any late duplicate. */
    void drain(Duration period) {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < deadline) reader.poll(Duration.ofMillis(200));
    }

    @Override
    public String toString() {
        return detections.size() + " detections, " + segmentations.size() + " segmentations, "
                + deadLetters.size() + " dead letters";
    }

    @Override
    public void close() {
        reader.close();
    }
}
