package io.emostream.topology;

import io.emostream.models.fixtures.LateAnswers;
import io.emostream.processors.FailureStage;
import io.emostream.processors.ProcessingSettings;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.VideoFrame;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code frame.inflight.max} above 1 on {@link org.apache.kafka.streams.TopologyTestDriver}, which commits after every
 * record: with answers that come after {@code process()} has returned, every result reaches its topic through the
 * drain at the commit (Kafka Streams' real task, state manager and processor context).
 */
class InFlightWindowTopologyTest {
    private static final Topics TOPICS = new Topics("frames", "detections", "segmentations", "frames-dlq");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final byte[] JPEG = TestFrames.jpeg(64, 48);

    private FrameTopicsDriver io;

    @AfterEach
    void close() {
        if (io != null) io.close();
    }

    private Topology topology(int inFlightMax) {
        StreamsBuilder builder = new StreamsBuilder();
        EmoStreams.withPredictors(new LateAnswers<>(FakePredictor.detector(), 30),
                        new LateAnswers<>(FakePredictor.segmenter(), 30),
                        ProcessingSettings.defaults().withInFlightMax(inFlightMax))
                .process(builder, TOPICS.frames()).to(TOPICS);
        return builder.build();
    }

    private void pipe(String camera, byte[] value) {
        io.frames().pipeInput(camera.getBytes(StandardCharsets.UTF_8), value);
    }

    private static byte[] frame(String camera, long sequence) {
        VideoFrame frame = TestFrames.frame(camera, sequence, START.toEpochMilli() - 40, 64, 48, JPEG);
        return TestFrames.bytes(frame);
    }

    @Test
    void everyFrameIsAnsweredByTheCommitAfterItAndACorruptFrameFailsAloneWithItsOwnOffset() {
        io = FrameTopicsDriver.open(topology(4), TOPICS, "inflight-test", START);
        pipe("cam-1", frame("cam-1", 0));
        pipe("cam-1", frame("cam-1", 1));
        pipe("cam-1", "not a frame".getBytes(StandardCharsets.UTF_8));
        pipe("cam-1", frame("cam-1", 2));

        List<Long> detected = io.detections().readValuesToList().stream().map(FrameDetections::getSequence).toList();
        List<Long> segmented = io.segmentations().readValuesToList().stream().map(FrameSegmentation::getSequence)
                .toList();
        assertEquals(List.of(0L, 1L, 2L), detected);
        assertEquals(List.of(0L, 1L, 2L), segmented);
        List<DeadLetter> letters = io.deadLetters().readValuesToList();
        assertEquals(1, letters.size(), letters::toString);
        assertEquals(FailureStage.DESERIALIZE.id(), letters.get(0).getStage());
        assertEquals(2, letters.get(0).getOffset(), "the third input record's own offset");
    }

    @Test
    void theDrainStoreExistsOnlyAboveOneFrameInFlight() {
        assertEquals(Set.of(), stores(topology(1)), "the default: no store, the processor as before");
        assertEquals(Set.of("emostream-inflight"), stores(topology(4)));
    }

    private static Set<String> stores(Topology topology) {
        return topology.describe().subtopologies().stream()
                .flatMap(s -> s.nodes().stream())
                .filter(n -> n instanceof TopologyDescription.Processor)
                .flatMap(n -> ((TopologyDescription.Processor) n).stores().stream())
                .collect(Collectors.toSet());
    }

    @Test
    void aFrameForwardedAtTheCommitCarriesItsOwnInputTimestamp() {
        io = FrameTopicsDriver.open(topology(4), TOPICS, "inflight-test", START);
        io.frames().pipeInput("cam-2".getBytes(StandardCharsets.UTF_8), frame("cam-2", 5), START.plusSeconds(7));
        var result = io.detections().readRecord();
        assertEquals(START.plusSeconds(7), result.getRecordTime());
        assertTrue(io.detections().isEmpty());
    }
}
