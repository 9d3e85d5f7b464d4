package io.emostream.topology;

import io.emostream.models.detection.DetectionResult;
import io.emostream.models.image.ImageLimits;
import io.emostream.models.segmentation.SegmentationResult;
import io.emostream.processors.FailureStage;
import io.emostream.processors.FrameInferenceProcessor;
import io.emostream.processors.ProcessingSettings;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.VideoFrame;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topology logic on {@link TopologyTestDriver} with test-double predictors and real JPEG decoding. */
class EmoStreamsTopologyTest {
    private static final Topics TOPICS = new Topics("frames", "detections", "segmentations", "frames-dlq");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final byte[] JPEG_64x48 = TestFrames.jpeg(64, 48);

    private final FakePredictor<DetectionResult> detector = FakePredictor.detector();
    private final FakePredictor<SegmentationResult> segmenter = FakePredictor.segmenter();
    private FrameTopicsDriver io;

    @AfterEach
    void closeDriver() {
        if (io != null) io.close();
    }

    private void start(FakePredictor<DetectionResult> det, FakePredictor<SegmentationResult> seg,
                       ProcessingSettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        EmoStreams.withPredictors(det, seg, settings).process(builder, TOPICS.frames()).to(TOPICS);
        open(builder.build());
    }

    private void start() {
        start(detector, segmenter, ProcessingSettings.defaults());
    }

    private void open(Topology topology) {
        io = FrameTopicsDriver.open(topology, TOPICS, "emostream-test", START);
    }

    private void pipe(String camera, byte[] value) {
        io.frames().pipeInput(camera == null ? null : camera.getBytes(StandardCharsets.UTF_8), value);
    }

    private void pipe(VideoFrame frame) {
        pipe(frame.getCameraId(), TestFrames.bytes(frame));
    }

    private static List<Long> sequences(List<FrameDetections> detections) {
        return detections.stream().map(FrameDetections::getSequence).toList();
    }

    private static VideoFrame frame(String camera, long sequence) {
        return TestFrames.frame(camera, sequence, START.toEpochMilli() - 40, 64, 48, JPEG_64x48);
    }

    @Test
    void frameYieldsOneDetectionAndOneSegmentationRecordWithItsMetadata() {
        start();
        pipe(frame("cam-1", 7));

        List<TestRecord<String, FrameDetections>> dets = io.detections().readRecordsToList();
        assertEquals(1, dets.size());
        assertEquals("cam-1", dets.get(0).key());
        FrameDetections d = dets.get(0).value();
        assertEquals("cam-1", d.getCameraId());
        assertEquals(7, d.getSequence());
        assertEquals(START.toEpochMilli() - 40, d.getCaptureTimestamp().toEpochMilli());
        assertEquals(START.toEpochMilli() - 39, d.getIngestTimestamp().toEpochMilli());
        assertEquals(START, d.getInferenceTimestamp());
        assertEquals(64, d.getFrameWidth());
        assertEquals(48, d.getFrameHeight());
        assertEquals("fake-ssd", d.getModel().getName());
        assertEquals("0.0.1", d.getModel().getVersion());
        assertFalse(d.getModel().getTrained(), "seeded weights are reported untrained");
        assertEquals("cpu", d.getModel().getExecutionProvider());
        assertEquals(1, d.getDetections().size());
        assertEquals("person", d.getDetections().get(0).getLabel());
        // The test double boxes the whole decoded image: the processor decoded the frame it was given.
        assertEquals(64f, d.getDetections().get(0).getBox().getX2());
        assertEquals(48f, d.getDetections().get(0).getBox().getY2());
        assertEquals(1f, d.getDetections().get(0).getNormalizedBox().getX2());
        assertTrue(d.getLatencies().getDecodeMs() >= FakePredictor.TIMINGS.preprocessMs(),
                "decode time includes the model's pre-processing");
        assertEquals(FakePredictor.TIMINGS.inferenceMs(), d.getLatencies().getInferenceMs());
        assertEquals(FakePredictor.TIMINGS.queueMs(), d.getLatencies().getQueueMs());

        List<TestRecord<String, FrameSegmentation>> segs = io.segmentations().readRecordsToList();
        assertEquals(1, segs.size());
        FrameSegmentation s = segs.get(0).value();
        assertEquals("cam-1", segs.get(0).key());
        assertEquals(7, s.getSequence());
        assertEquals(4, s.getMaskWidth());
        assertEquals(2, s.getMaskHeight());
        assertEquals(List.of(0, 1), s.getMask().getClassIds());
        assertEquals(List.of(4, 4), s.getMask().getRunLengths());
        assertEquals(List.of("background", "road"), s.getLabels());
        assertEquals("road", s.getClassFractions().get(1).getLabel());
        assertEquals("fake-deeplab", s.getModel().getName());
        assertTrue(io.deadLetters().isEmpty());
    }

    @Test
    void valueThatIsNotAFrameGoesToDeadLetterTopicWithItsOriginalBytes() {
        start();
        byte[] garbage = "not an avro frame".getBytes(StandardCharsets.UTF_8);
        pipe(frame("cam-1", 0));
        pipe("cam-1", garbage);
        pipe(frame("cam-1", 1));

        DeadLetter dl = single(io.deadLetters().readRecordsToList()).value();
        assertEquals(FailureStage.DESERIALIZE.id(), dl.getStage());
        assertEquals(TOPICS.frames(), dl.getTopic());
        assertEquals(0, dl.getPartition());
        assertEquals(1, dl.getOffset(), "the second input record");
        assertArrayEquals(garbage, bytes(dl.getValue()));
        assertArrayEquals("cam-1".getBytes(StandardCharsets.UTF_8), bytes(dl.getKey()));
        assertEquals(List.of(0L, 1L), sequences(io.detections().readValuesToList()),
                "the stream goes on after a bad record");
        assertEquals(1.0, metric(FrameInferenceProcessor.DEAD_LETTERS + "-total"));
    }

    @Test
    void recordWithoutValueGoesToDeadLetterTopic() {
        start();
        pipe("cam-1", null);
        DeadLetter dl = single(io.deadLetters().readRecordsToList()).value();
        assertEquals(FailureStage.DESERIALIZE.id(), dl.getStage());
        assertNull(dl.getValue());
        assertTrue(dl.getErrorMessage().contains("no value"), dl.getErrorMessage());
    }

    @Test
    void undecodableImageGoesToDeadLetterTopic() {
        start();
        byte[] notJpeg = new byte[2000];
        Arrays.fill(notJpeg, (byte) 0x5a);
        VideoFrame bad = TestFrames.frame("cam-2", 3, START.toEpochMilli(), 64, 48, notJpeg);
        pipe(bad);

        TestRecord<String, DeadLetter> dl = single(io.deadLetters().readRecordsToList());
        assertEquals("cam-2", dl.key());
        assertEquals(FailureStage.DECODE.id(), dl.value().getStage());
        assertEquals("InvalidImageException", dl.value().getErrorClass());
        assertArrayEquals(TestFrames.bytes(bad), bytes(dl.value().getValue()));
        assertTrue(io.detections().isEmpty());
        assertTrue(io.segmentations().isEmpty());
        assertEquals(0, detector.submitted(), "nothing reaches the models");
    }

    @Test
    void frameOfAnotherSizeThanDeclaredGoesToDeadLetterTopic() {
        start();
        pipe(TestFrames.frame("cam-1", 0, START.toEpochMilli(), 640, 480, JPEG_64x48));
        DeadLetter dl = single(io.deadLetters().readRecordsToList()).value();
        assertEquals(FailureStage.DECODE.id(), dl.getStage());
        assertTrue(io.detections().isEmpty());
    }

    @Test
    void frameOverTheImageLimitsGoesToDeadLetterTopicWithoutReachingTheModels() {
        start(detector, segmenter, new ProcessingSettings(new ImageLimits(32, 32, 32 * 32, 1 << 20), 0, 60_000,
                1_000_000));
        pipe(frame("cam-1", 0));
        DeadLetter dl = single(io.deadLetters().readRecordsToList()).value();
        assertEquals(FailureStage.DECODE.id(), dl.getStage());
        assertEquals(0, detector.submitted());
        assertEquals(0, segmenter.submitted());
    }

    @Test
    void deadLetterLeavesOutAnOriginalValueOverItsLimitAndSaysSo() {
        start(detector, segmenter, new ProcessingSettings(ImageLimits.DEFAULT, 0, 60_000, 10));
        byte[] garbage = new byte[100];
        pipe("cam-1", garbage);
        DeadLetter dl = single(io.deadLetters().readRecordsToList()).value();
        assertNull(dl.getValue());
        assertTrue(dl.getErrorMessage().contains("100 bytes"), dl.getErrorMessage());
    }

    @Test
    void failingModelSendsTheFrameToDeadLetterTopicWhileTheOtherModelStillAnswers() {
        detector.failWith("session exploded");
        start();
        pipe(frame("cam-1", 5));

        DeadLetter dl = single(io.deadLetters().readRecordsToList()).value();
        assertEquals(FailureStage.DETECT.id(), dl.getStage());
        assertEquals("InferenceException", dl.getErrorClass());
        assertEquals("session exploded", dl.getErrorMessage());
        assertTrue(io.detections().isEmpty());
        assertEquals(5, single(io.segmentations().readRecordsToList()).value().getSequence());
    }

    @Test
    void disabledDetectionEmitsOnlySegmentations() {
        start(null, segmenter, ProcessingSettings.defaults());
        pipe(frame("cam-1", 0));
        pipe(frame("cam-1", 1));
        assertTrue(io.detections().isEmpty());
        assertEquals(2, io.segmentations().readRecordsToList().size());
        assertTrue(io.deadLetters().isEmpty());
    }

    @Test
    void framesOfEachCameraKeepTheirOrder() {
        start();
        for (int seq = 0; seq < 6; seq++) {
            for (String camera : List.of("cam-a", "cam-b", "cam-c")) {
                pipe(frame(camera, seq));
            }
        }
        List<TestRecord<String, FrameDetections>> out = io.detections().readRecordsToList();
        assertEquals(18, out.size());
        for (String camera : List.of("cam-a", "cam-b", "cam-c")) {
            List<Long> sequences = out.stream().filter(r -> r.key().equals(camera))
                    .map(r -> r.value().getSequence()).toList();
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), sequences, camera);
        }
    }

    @Test
    void framesOlderThanTheMaximumAgeAreSkippedAndCounted() {
        start(detector, segmenter, new ProcessingSettings(ImageLimits.DEFAULT, 1_000, 60_000, 1_000_000));
        pipe(TestFrames.frame("cam-1", 0, START.toEpochMilli() - 5_000, 64, 48, JPEG_64x48));
        pipe(TestFrames.frame("cam-1", 1, START.toEpochMilli() - 500, 64, 48, JPEG_64x48));
        io.driver().advanceWallClockTime(Duration.ofSeconds(2));
        pipe(TestFrames.frame("cam-1", 2, START.toEpochMilli(), 64, 48, JPEG_64x48));

        assertEquals(List.of(1L), sequences(io.detections().readValuesToList()));
        assertTrue(io.deadLetters().isEmpty(), "skipping is not a failure");
        assertEquals(2.0, metric(FrameInferenceProcessor.SKIPPED_TOO_OLD + "-total"));
    }

    @Test
    void processorApiTopologyWritesEachResultToItsTopic() {
        Topology topology = new Topology().addSource("frames", new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), TOPICS.frames());
        EmoStreams.withPredictors(detector, segmenter, ProcessingSettings.defaults()).addTo(topology, TOPICS, "frames");
        open(topology);
        pipe(frame("cam-1", 0));
        pipe("cam-1", new byte[]{1, 2, 3});

        assertEquals(0, single(io.detections().readRecordsToList()).value().getSequence());
        assertEquals(0, single(io.segmentations().readRecordsToList()).value().getSequence());
        assertEquals(FailureStage.DESERIALIZE.id(), single(io.deadLetters().readRecordsToList()).value().getStage());
    }

    private double metric(String name) {
        return io.driver().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name)
                        && e.getKey().group().equals("stream-" + FrameInferenceProcessor.METRICS_SCOPE + "-metrics"))
                .map(e -> (Double) e.getValue().metricValue())
                .reduce(0.0, Double::sum);
    }

    private static <T> T single(List<T> list) {
        assertEquals(1, list.size(), () -> "expected one record, got " + list);
        return list.get(0);
    }

    private static byte[] bytes(ByteBuffer buf) {
        byte[] out = new byte[buf.remaining()];
        buf.duplicate().get(out);
        return out;
    }
}
